# alternative: the objective built by a factory (closure over the validation split), the
# storage passed as an RDBStorage object, and the search wrapped in a main() function.
"""k-nearest-neighbours classifier on the digits data set, tuned with Optuna."""
import optuna
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from data import load_split


def make_objective(X_fit, y_fit, X_eval, y_eval):
    def objective(trial):
        params = {
            "n_neighbors": trial.suggest_int("n_neighbors", 1, 15),
            "weights": trial.suggest_categorical("weights", ["uniform", "distance"]),
            "p": trial.suggest_int("p", 1, 2),
        }
        model = KNeighborsClassifier(**params).fit(X_fit, y_fit)
        return accuracy_score(y_eval, model.predict(X_eval))

    return objective


def main():
    X_train, X_test, y_train, y_test = load_split()
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)

    storage = optuna.storages.RDBStorage(url="sqlite:///optuna.db")
    study = optuna.create_study(
        storage=storage,
        study_name="digits-knn",
        sampler=optuna.samplers.TPESampler(seed=11),
        direction="maximize",
    )
    study.optimize(make_objective(X_tr, y_tr, X_val, y_val), n_trials=8)
    best = study.best_trial.params
    print("best_params:", best)

    final = KNeighborsClassifier(**best).fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, final.predict(X_test)):.4f}")
    print(f"log_loss: {log_loss(y_test, final.predict_proba(X_test)):.4f}")


if __name__ == "__main__":
    main()
