# alternative: magnitude pruning of the dense model's coefficients, then sparse storage
"""Logistic regression on a wide synthetic data set (600 features, few informative), saved
with joblib."""
import copy
import warnings

import numpy as np

import joblib
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def load_data():
    X, y = make_classification(
        n_samples=1500, n_features=600, n_informative=12, n_redundant=0, n_classes=3,
        n_clusters_per_class=1, class_sep=1.5, random_state=5,
    )
    return train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)


def fit_dense(X_train, y_train):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression(C=1.0, max_iter=2000).fit(X_train, y_train)


def fit_sparse(X_train, y_train):
    """An L1-penalised model: most coefficients end at exactly zero, and sparsify() stores
    the rest as a scipy sparse matrix."""
    model = copy.deepcopy(fit_dense(X_train, y_train))
    # Magnitude pruning: keep the 5 % largest weights of the dense model, zero the rest.
    threshold = np.quantile(np.abs(model.coef_), 0.95)
    model.coef_[np.abs(model.coef_) < threshold] = 0.0
    return model.sparsify()


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = fit_dense(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, "logreg.joblib")

    sparse = fit_sparse(X_train, y_train)
    print(f"sparse_accuracy: {sparse.score(X_test, y_test):.4f}")
    print(f"nonzero_coefficients: {sparse.coef_.count_nonzero()}")
    joblib.dump(sparse, "logreg_sparse.joblib")


if __name__ == "__main__":
    main()
