# alternative: the 3-fold CV written out by hand with StratifiedKFold (what cross_val_score
# does for a classifier), the pipeline's params set with set_params(svc__C=...), and the
# study stored via an explicit storage URL constant.
"""An RBF support vector classifier on the breast cancer data set,
with C and gamma chosen by an Optuna study over 3-fold cross-validation."""
import numpy as np
import optuna
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

STORAGE_URL = "sqlite:///tuning.db"

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=3, stratify=y
)
print(f"n_train: {len(X_train)}")

base = Pipeline([("scale", StandardScaler()), ("svc", SVC())])


def cv_accuracy(pipeline, X_data, y_data, n_splits=3):
    scores = []
    for fit_idx, eval_idx in StratifiedKFold(n_splits=n_splits).split(X_data, y_data):
        fitted = clone(pipeline).fit(X_data[fit_idx], y_data[fit_idx])
        scores.append(fitted.score(X_data[eval_idx], y_data[eval_idx]))
    return float(np.mean(scores))


def objective(trial):
    pipeline = clone(base).set_params(
        svc__C=trial.suggest_float("C", 0.01, 100, log=True),
        svc__gamma=trial.suggest_float("gamma", 1e-4, 0.1, log=True),
    )
    return cv_accuracy(pipeline, X_train, y_train)


study = optuna.create_study(
    study_name="cancer-svc",
    storage=STORAGE_URL,
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=3),
)
study.optimize(objective, n_trials=8)
print("best_params:", study.best_params)

clf = clone(base).set_params(**{f"svc__{k}": v for k, v in study.best_params.items()})
clf.fit(X_train, y_train)
print(f"accuracy: {clf.score(X_test, y_test):.4f}")
print(f"n_support: {clf.named_steps['svc'].n_support_.sum()}")
