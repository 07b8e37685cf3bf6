"""The candidate models, built from their settings."""
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier


def make_model(kind, settings):
    """An unfitted classifier of `kind` ("knn" or "tree") with these settings."""
    if kind == "knn":
        return KNeighborsClassifier(n_neighbors=settings["n_neighbors"], weights=settings["weights"])
    if kind == "tree":
        return DecisionTreeClassifier(max_depth=settings["max_depth"], min_samples_leaf=settings["min_samples_leaf"],
                                      random_state=settings["seed"])
    raise ValueError(f"unknown model kind {kind!r}")
