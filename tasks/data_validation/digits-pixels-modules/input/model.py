"""The classifier."""
from sklearn.svm import SVC


def build(C=3.0, gamma="scale"):
    return SVC(C=C, gamma=gamma)
