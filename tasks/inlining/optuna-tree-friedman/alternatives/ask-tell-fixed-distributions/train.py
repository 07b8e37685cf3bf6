# alternative: define-and-run: the search space kept in CONFIG as Optuna distributions,
# passed to study.ask, the value reported with study.tell, instead of study.optimize.
"""Decision tree regression on the Friedman #1 benchmark function,
with the tree's shape tuned by Optuna."""
import optuna
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

CONFIG = {
    "n_samples": 500,
    "noise": 1.0,
    "seed": 3,
    "test_size": 0.2,
    "space": {
        "max_depth": IntDistribution(2, 12),
        "min_samples_leaf": IntDistribution(1, 32, log=True),
        "criterion": CategoricalDistribution(["squared_error", "absolute_error"]),
    },
    "n_trials": 10,
}


def make_data(cfg):
    X, y = make_friedman1(n_samples=cfg["n_samples"], noise=cfg["noise"], random_state=cfg["seed"])
    return train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"])


def fit_mae(cfg, params, X_fit, y_fit, X_eval, y_eval):
    tree = DecisionTreeRegressor(random_state=cfg["seed"], **params).fit(X_fit, y_fit)
    return mean_absolute_error(y_eval, tree.predict(X_eval))


def tune(cfg, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(
        X_train, y_train, test_size=0.25, random_state=cfg["seed"]
    )
    study = optuna.create_study(
        study_name="friedman-tree",
        storage="sqlite:///hpo.db",
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=cfg["seed"]),
    )
    for _ in range(cfg["n_trials"]):
        trial = study.ask(cfg["space"])
        study.tell(trial, fit_mae(cfg, trial.params, X_tr, y_tr, X_val, y_val))
    return study.best_trial.params


def main(cfg=CONFIG):
    X_train, X_test, y_train, y_test = make_data(cfg)
    print(f"n_train: {len(X_train)}")
    best_params = tune(cfg, X_train, y_train)
    print("best_params:", best_params)
    print(f"mae: {fit_mae(cfg, best_params, X_train, y_train, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
