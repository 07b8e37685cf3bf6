"""The wine data: the 13 measurements as named columns, each wine's cultivar by name."""
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

CULTIVARS = ("barolo", "grignolino", "barbera")  # classes 0, 1 and 2 of the data set


def load(seed=13):
    """X_train, X_test, y_train, y_test: DataFrames of the features, Series of cultivar names."""
    wine = load_wine(as_frame=True)
    names = wine.target.map(dict(enumerate(CULTIVARS)))
    return train_test_split(wine.data, names, test_size=0.3, random_state=seed, stratify=names)
