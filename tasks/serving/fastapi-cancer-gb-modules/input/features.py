"""The model's inputs: eight of the 30 breast-cancer measurements, the size ones on a log
scale. Rows come in the data set's order of the 30 measurements."""
import numpy as np
from sklearn.datasets import load_breast_cancer

MEASUREMENTS = list(load_breast_cancer().feature_names)
SELECTED = ["worst concave points", "worst perimeter", "mean texture", "worst smoothness",
            "mean concavity", "worst area", "area error", "worst symmetry"]
LOG_SCALED = {"worst perimeter", "worst area", "area error"}


def build_features(rows):
    """The eight model inputs of each row of the 30 raw measurements."""
    X = np.asarray(rows, dtype=float)
    columns = [X[:, MEASUREMENTS.index(name)] for name in SELECTED]
    return np.column_stack([np.log1p(c) if name in LOG_SCALED else c for name, c in zip(SELECTED, columns)])
