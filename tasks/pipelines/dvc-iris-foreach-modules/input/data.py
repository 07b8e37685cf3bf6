"""The iris data, split for training and testing."""
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split


def load_split(test_size, seed):
    """X_train, X_test, y_train, y_test: a stratified split of the iris data."""
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)
