"""The wine classifier: a scaled k-nearest-neighbours pipeline."""
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class WineKNN:
    def __init__(self, n_neighbors=5, weights="uniform"):
        self.pipeline = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights))

    def fit(self, X, y):
        self.pipeline.fit(X, y)
        return self

    def accuracy(self, X, y):
        return self.pipeline.score(X, y)
