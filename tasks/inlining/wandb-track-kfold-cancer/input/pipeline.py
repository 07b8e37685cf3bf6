"""The model under evaluation: scaling plus L2-regularised logistic regression."""
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SETTINGS = {"C": 0.3, "penalty": "l2", "max_iter": 500}


def build_model():
    return make_pipeline(StandardScaler(), LogisticRegression(**SETTINGS))
