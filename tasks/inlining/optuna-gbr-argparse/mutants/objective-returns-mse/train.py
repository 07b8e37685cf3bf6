# mutant: the objective returns the validation MSE instead of the RMSE
"""Gradient boosting regression on a synthetic data set, tuned with Optuna."""
import argparse

import numpy as np
import optuna
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-samples", type=int, default=400)
    parser.add_argument("--noise", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-trials", type=int, default=6)
    parser.add_argument("--study-name", default="gbr-synthetic")
    parser.add_argument("--storage", default="sqlite:///optuna.db")
    return parser.parse_args()


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def main():
    args = parse_args()
    X, y = make_regression(
        n_samples=args.n_samples, n_features=10, noise=args.noise, random_state=args.seed
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=args.seed
    )
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(
        X_train, y_train, test_size=0.25, random_state=args.seed
    )

    def objective(trial):
        params = {
            "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.3, log=True),
            "max_depth": trial.suggest_int("max_depth", 2, 5),
            "n_estimators": trial.suggest_int("n_estimators", 50, 150, step=25),
        }
        model = GradientBoostingRegressor(random_state=args.seed, **params)
        return mean_squared_error(y_val, model.fit(X_tr, y_tr).predict(X_val))

    study = optuna.create_study(
        study_name=args.study_name,
        storage=args.storage,
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=args.seed),
    )
    study.optimize(objective, n_trials=args.n_trials)
    print("best_params:", study.best_params)

    model = GradientBoostingRegressor(random_state=args.seed, **study.best_params)
    model.fit(X_train, y_train)
    print(f"rmse: {rmse(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
