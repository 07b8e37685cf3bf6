"""Ridge regression with polynomial features on the diabetes data set."""
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


def load():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=17)


def build(alpha=3.0):
    return make_pipeline(PolynomialFeatures(degree=2), StandardScaler(), Ridge(alpha=alpha))


def evaluate(model, X, y):
    return r2_score(y, model.predict(X))


def main():
    X_train, X_test, y_train, y_test = load()
    model = build().fit(X_train, y_train)
    print(f"r2: {evaluate(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
