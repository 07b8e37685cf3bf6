"""Data loading for the digits experiments."""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def load_split(test_size=0.3, seed=11):
    """Scaled 8x8 digit images split into train and test sets."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)
