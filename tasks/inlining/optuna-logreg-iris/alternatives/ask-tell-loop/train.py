# alternative: Optuna's ask/tell interface in an explicit loop instead of study.optimize,
# with the tuning wrapped in a function and the best trial read from study.best_trial.
import optuna
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

N_TRIALS = 8


def validation_accuracy(C, X_tr, y_tr, X_val, y_val):
    clf = LogisticRegression(C=C, max_iter=1000)
    clf.fit(X_tr, y_tr)
    return accuracy_score(y_val, clf.predict(X_val))


def search_C(X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
    study = optuna.create_study(
        study_name="iris-logreg",
        storage="sqlite:///optuna.db",
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=0),
    )
    for _ in range(N_TRIALS):
        trial = study.ask()
        C = trial.suggest_float("C", 1e-3, 100, log=True)
        study.tell(trial, validation_accuracy(C, X_tr, y_tr, X_val, y_val))
    return study


X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)
print(f"n_train: {len(X_train)}")

study = search_C(X_train, y_train)
best = dict(study.best_trial.params)
print("best_params:", best)

model = LogisticRegression(max_iter=1000, **best)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.4f}")
print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")
