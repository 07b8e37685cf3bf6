"""A small multi-layer perceptron on the digits data set."""
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier


def load_data():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0  # pixel intensities 0..16 -> 0..1
    return train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)


def train(X_train, y_train):
    mlp = MLPClassifier(hidden_layer_sizes=(96,), max_iter=60, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X_train, y_train)


if __name__ == "__main__":
    X_train, X_test, y_train, y_test = load_data()
    mlp = train(X_train, y_train)
    print(f"accuracy: {mlp.score(X_test, y_test):.4f}")
