"""Gradient boosting on a synthetic classification problem, after univariate feature selection.
Prints the test scores and writes the test ROC curve to roc.csv."""
import csv

from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split


def make_data(n_samples=600, test_size=0.3, seed=7):
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=6, n_redundant=4, flip_y=0.05,
                               random_state=seed)
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)


def select_features(X_train, X_test, y_train, k=8):
    selector = SelectKBest(f_classif, k=k).fit(X_train, y_train)
    return selector.transform(X_train), selector.transform(X_test)


def fit_model(X_train, y_train, n_estimators=60, learning_rate=0.1, max_depth=2, seed=0):
    model = GradientBoostingClassifier(n_estimators=n_estimators, learning_rate=learning_rate, max_depth=max_depth,
                                       random_state=seed)
    return model.fit(X_train, y_train)


def write_roc(path, y_true, scores):
    fpr, tpr, thresholds = roc_curve(y_true, scores)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fpr", "tpr", "threshold"])
        writer.writerows(zip(fpr, tpr, thresholds))


def main():
    X_train, X_test, y_train, y_test = make_data()
    X_train, X_test = select_features(X_train, X_test, y_train)
    model = fit_model(X_train, y_train)
    scores = model.predict_proba(X_test)[:, 1]
    write_roc("roc.csv", y_test, scores)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    print(f"roc_auc: {roc_auc_score(y_test, scores):.4f}")


if __name__ == "__main__":
    main()
