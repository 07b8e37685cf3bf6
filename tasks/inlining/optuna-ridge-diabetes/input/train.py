"""Ridge regression on the diabetes data set."""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def load_data():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=0)


def train(X_train, y_train, alpha=1.0):
    model = Ridge(alpha=alpha)
    model.fit(X_train, y_train)
    return model


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def main():
    X_train, X_test, y_train, y_test = load_data()
    print(f"n_train: {len(X_train)}")
    model = train(X_train, y_train)
    print(f"rmse: {rmse(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
