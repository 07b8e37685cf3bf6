# alternative: Optuna's ask/tell interface in an explicit loop instead of study.optimize,
# the 3-fold score from sklearn's cross_validate, the best params from study.best_trial.
"""An RBF support vector classifier on the breast cancer data set,
with C and gamma chosen by an Optuna study over 3-fold cross-validation."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def svc_pipeline(C, gamma):
    return make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))


X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=3, stratify=y
)
print(f"n_train: {len(X_train)}")

study = optuna.create_study(
    study_name="cancer-svc",
    storage="sqlite:///tuning.db",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=3),
)
for _ in range(8):
    trial = study.ask()
    pipeline = svc_pipeline(
        C=trial.suggest_float("C", 0.01, 100, log=True),
        gamma=trial.suggest_float("gamma", 1e-4, 0.1, log=True),
    )
    folds = cross_validate(pipeline, X_train, y_train, cv=3, scoring="accuracy")
    study.tell(trial, folds["test_score"].mean())
best = study.best_trial.params
print("best_params:", best)

clf = svc_pipeline(**best).fit(X_train, y_train)
print(f"accuracy: {clf.score(X_test, y_test):.4f}")
print(f"n_support: {clf[-1].n_support_.sum()}")
