"""Gradient boosting on the breast cancer data set."""
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

from data import load_split

PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    roc_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    print(f"accuracy: {accuracy:.4f}")
    print(f"roc_auc: {roc_auc:.4f}")


if __name__ == "__main__":
    main()
