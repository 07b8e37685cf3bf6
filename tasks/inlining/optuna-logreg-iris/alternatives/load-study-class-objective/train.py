# alternative: the study created once with load_if_exists=True, then opened again with
# optuna.load_study (the seeded TPE sampler passed there), and a class-based objective
# that holds the validation split; the best params read from study.best_trial.
import optuna
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

STUDY_NAME = "iris-logreg"
STORAGE = "sqlite:///optuna.db"


class ValidationAccuracy:
    """Accuracy on a held-out quarter of the training data for the trial's C."""

    def __init__(self, X_train, y_train):
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(
            X_train, y_train, test_size=0.25, random_state=0
        )

    def __call__(self, trial):
        C = trial.suggest_float("C", 1e-3, 100, log=True)
        clf = LogisticRegression(C=C, max_iter=1000).fit(self.X_tr, self.y_tr)
        return accuracy_score(self.y_val, clf.predict(self.X_val))


X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)
print(f"n_train: {len(X_train)}")

optuna.create_study(study_name=STUDY_NAME, storage=STORAGE, direction="maximize", load_if_exists=True)
study = optuna.load_study(
    study_name=STUDY_NAME, storage=STORAGE, sampler=optuna.samplers.TPESampler(seed=0)
)
study.optimize(ValidationAccuracy(X_train, y_train), n_trials=8)
best_trial = study.best_trial
print("best_params:", best_trial.params)

model = LogisticRegression(max_iter=1000, **best_trial.params)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.4f}")
print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")
