# mutant: the study is stored in SQLite instead of the journal file
"""Lasso regression on the diabetes data set, tuned with Optuna's random sampler; the study
is kept in a journal file."""
import argparse

import optuna
from optuna.storages.journal import JournalFileBackend
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--n-trials", type=int, default=12)
    args = parser.parse_args()

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.3, random_state=0)

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-3, 10.0, log=True)
        selection = trial.suggest_categorical("selection", ["cyclic", "random"])
        model = Lasso(alpha=alpha, selection=selection, max_iter=5000, random_state=0).fit(X_tr, y_tr)
        return mean_squared_error(y_val, model.predict(X_val)) ** 0.5

    storage = "sqlite:///optuna_journal.db"
    study = optuna.create_study(study_name="lasso-diabetes", storage=storage, direction="minimize",
                                sampler=optuna.samplers.RandomSampler(seed=21))
    study.optimize(objective, n_trials=args.n_trials)
    print("best_params:", study.best_params)

    model = Lasso(**study.best_params, max_iter=5000, random_state=0).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"mae: {mean_absolute_error(y_test, predictions):.4f}")


if __name__ == "__main__":
    main()
