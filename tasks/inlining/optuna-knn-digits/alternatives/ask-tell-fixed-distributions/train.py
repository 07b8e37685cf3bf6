# alternative: define-and-run: the search space given as distributions to study.ask, the
# value reported with study.tell, in an explicit loop instead of study.optimize.
"""k-nearest-neighbours classifier on the digits data set, tuned with Optuna."""
import optuna
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from data import load_split

SPACE = {
    "n_neighbors": IntDistribution(1, 15),
    "weights": CategoricalDistribution(["uniform", "distance"]),
    "p": IntDistribution(1, 2),
}

X_train, X_test, y_train, y_test = load_split()
print(f"n_train: {len(X_train)}")
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)

study = optuna.create_study(
    study_name="digits-knn",
    storage="sqlite:///optuna.db",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=11),
)
for _ in range(8):
    trial = study.ask(SPACE)
    knn = KNeighborsClassifier(**trial.params).fit(X_tr, y_tr)
    study.tell(trial, accuracy_score(y_val, knn.predict(X_val)))
print("best_params:", study.best_params)

knn = KNeighborsClassifier(**study.best_params)
knn.fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")
print(f"log_loss: {log_loss(y_test, knn.predict_proba(X_test)):.4f}")
