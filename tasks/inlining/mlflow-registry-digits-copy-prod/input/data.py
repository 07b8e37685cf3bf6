"""The digits data, scaled to [0, 1], and its split."""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def load_split(seed=19):
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, random_state=seed, stratify=y)
