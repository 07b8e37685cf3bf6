# alternative: Optuna's ask/tell interface in an explicit loop (trial = study.ask(), the
# parameters suggested on it, study.tell(trial, rmse)) instead of study.optimize.
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


def fit_rmse(params, seed, X_fit, y_fit, X_eval, y_eval):
    model = GradientBoostingRegressor(random_state=seed, **params).fit(X_fit, y_fit)
    return float(np.sqrt(mean_squared_error(y_eval, model.predict(X_eval))))


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

    study = optuna.create_study(
        study_name=args.study_name,
        storage=args.storage,
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=args.seed),
    )
    for _ in range(args.n_trials):
        trial = study.ask()
        params = {
            "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.3, log=True),
            "max_depth": trial.suggest_int("max_depth", 2, 5),
            "n_estimators": trial.suggest_int("n_estimators", 50, 150, step=25),
        }
        study.tell(trial, fit_rmse(params, args.seed, X_tr, y_tr, X_val, y_val))
    print("best_params:", study.best_params)

    print(f"rmse: {fit_rmse(study.best_params, args.seed, X_train, y_train, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
