# alternative: the study created with load_if_exists=True and reopened through
# optuna.load_study with the seeded TPE sampler; a callable objective class; functions.
"""An RBF support vector classifier on the breast cancer data set,
with C and gamma chosen by an Optuna study over 3-fold cross-validation."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

STUDY = {"study_name": "cancer-svc", "storage": "sqlite:///tuning.db"}


class CrossValidatedAccuracy:
    def __init__(self, X, y, folds=3):
        self.X, self.y, self.folds = X, y, folds

    def __call__(self, trial):
        params = {
            "C": trial.suggest_float("C", 0.01, 100, log=True),
            "gamma": trial.suggest_float("gamma", 1e-4, 0.1, log=True),
        }
        clf = make_pipeline(StandardScaler(), SVC(**params))
        return cross_val_score(clf, self.X, self.y, cv=self.folds, scoring="accuracy").mean()


def tune(X_train, y_train):
    optuna.create_study(direction="maximize", load_if_exists=True, **STUDY)
    study = optuna.load_study(sampler=optuna.samplers.TPESampler(seed=3), **STUDY)
    study.optimize(CrossValidatedAccuracy(X_train, y_train), n_trials=8)
    return study.best_params


def main():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=3, stratify=y
    )
    print(f"n_train: {len(X_train)}")
    best = tune(X_train, y_train)
    print("best_params:", best)
    clf = make_pipeline(StandardScaler(), SVC(**best)).fit(X_train, y_train)
    print(f"accuracy: {clf.score(X_test, y_test):.4f}")
    print(f"n_support: {clf[-1].n_support_.sum()}")


if __name__ == "__main__":
    main()
