# mutant: the validation split uses random_state=11 (the data seed) instead of the requested random_state=0
"""k-nearest-neighbours classifier on the digits data set, tuned with Optuna."""
import optuna
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from data import load_split

X_train, X_test, y_train, y_test = load_split()
print(f"n_train: {len(X_train)}")
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=11)


def objective(trial):
    knn = KNeighborsClassifier(
        n_neighbors=trial.suggest_int("n_neighbors", 1, 15),
        weights=trial.suggest_categorical("weights", ["uniform", "distance"]),
        p=trial.suggest_int("p", 1, 2),
    )
    knn.fit(X_tr, y_tr)
    return accuracy_score(y_val, knn.predict(X_val))


study = optuna.create_study(
    study_name="digits-knn",
    storage="sqlite:///optuna.db",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=11),
)
study.optimize(objective, n_trials=8)
print("best_params:", study.best_params)

knn = KNeighborsClassifier(**study.best_params)
knn.fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")
print(f"log_loss: {log_loss(y_test, knn.predict_proba(X_test)):.4f}")
