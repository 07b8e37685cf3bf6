"""k-nearest neighbours regression on the diabetes data set, on standardised features."""
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler


def load_split(seed=5):
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=seed)


def fit_scaler(X_train):
    return StandardScaler().fit(X_train)


def fit_regressor(X_scaled, y_train):
    return KNeighborsRegressor(n_neighbors=9, weights="distance").fit(X_scaled, y_train)


def evaluate(scaler, regressor, X_test, y_test):
    predicted = regressor.predict(scaler.transform(X_test))
    print(f"r2: {r2_score(y_test, predicted):.4f}")
    print(f"mae: {mean_absolute_error(y_test, predicted):.4f}")


def main():
    X_train, X_test, y_train, y_test = load_split()
    scaler = fit_scaler(X_train)
    regressor = fit_regressor(scaler.transform(X_train), y_train)
    evaluate(scaler, regressor, X_test, y_test)


if __name__ == "__main__":
    main()
