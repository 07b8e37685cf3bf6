"""A small neural network regressor on the Friedman #1 problem."""
import warnings

from sklearn.datasets import make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor


def load_data(seed=0):
    X, y = make_friedman1(n_samples=1200, n_features=10, noise=0.5, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed)


def train(X_train, y_train, seed=0):
    model = MLPRegressor(hidden_layer_sizes=(128, 64), max_iter=300, learning_rate_init=3e-3, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X_train, y_train)


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    print(f"r2: {r2_score(y_test, model.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
