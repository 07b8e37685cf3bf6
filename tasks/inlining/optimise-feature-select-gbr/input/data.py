"""The data: Friedman #1 with 30 columns, of which only the first 5 carry signal."""
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split

N_FEATURES = 30


def load_split(seed=2):
    X, y = make_friedman1(n_samples=1000, n_features=N_FEATURES, noise=1.0, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed)
