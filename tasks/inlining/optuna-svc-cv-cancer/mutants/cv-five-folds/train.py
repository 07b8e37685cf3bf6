# mutant: the objective uses 5-fold instead of 3-fold cross-validation
"""An RBF support vector classifier on the breast cancer data set,
with C and gamma chosen by an Optuna study over 3-fold cross-validation."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=3, stratify=y
)
print(f"n_train: {len(X_train)}")


def objective(trial):
    C = trial.suggest_float("C", 0.01, 100, log=True)
    gamma = trial.suggest_float("gamma", 1e-4, 0.1, log=True)
    clf = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
    return cross_val_score(clf, X_train, y_train, cv=5, scoring="accuracy").mean()


study = optuna.create_study(
    study_name="cancer-svc",
    storage="sqlite:///tuning.db",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=3),
)
study.optimize(objective, n_trials=8)
print("best_params:", study.best_params)

clf = make_pipeline(StandardScaler(), SVC(**study.best_params))
clf.fit(X_train, y_train)
print(f"accuracy: {clf.score(X_test, y_test):.4f}")
print(f"n_support: {clf[-1].n_support_.sum()}")
