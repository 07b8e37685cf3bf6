# alternative: the search space described as data in CONFIG and suggested by a generic
# helper, the objective passed as a lambda, the whole search in main().
"""Decision tree regression on the Friedman #1 benchmark function,
with the tree's shape tuned by Optuna."""
import optuna
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

CONFIG = {
    "n_samples": 500,
    "noise": 1.0,
    "seed": 3,
    "test_size": 0.2,
    "search": [
        ("max_depth", "int", (2, 12), {}),
        ("min_samples_leaf", "int", (1, 32), {"log": True}),
        ("criterion", "categorical", (["squared_error", "absolute_error"],), {}),
    ],
    "n_trials": 10,
}


def make_data(cfg):
    X, y = make_friedman1(n_samples=cfg["n_samples"], noise=cfg["noise"], random_state=cfg["seed"])
    return train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"])


def sample(trial, search):
    suggest = {"int": trial.suggest_int, "categorical": trial.suggest_categorical}
    return {name: suggest[kind](name, *args, **kwargs) for name, kind, args, kwargs in search}


def val_mae(cfg, params, X_tr, y_tr, X_val, y_val):
    tree = DecisionTreeRegressor(random_state=cfg["seed"], **params).fit(X_tr, y_tr)
    return mean_absolute_error(y_val, tree.predict(X_val))


def main(cfg=CONFIG):
    X_train, X_test, y_train, y_test = make_data(cfg)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(
        X_train, y_train, test_size=0.25, random_state=cfg["seed"]
    )
    study = optuna.create_study(
        study_name="friedman-tree",
        storage="sqlite:///hpo.db",
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=cfg["seed"]),
    )
    study.optimize(
        lambda trial: val_mae(cfg, sample(trial, cfg["search"]), X_tr, y_tr, X_val, y_val),
        n_trials=cfg["n_trials"],
    )
    print("best_params:", study.best_params)
    tree = DecisionTreeRegressor(random_state=cfg["seed"], **study.best_params)
    tree.fit(X_train, y_train)
    print(f"mae: {mean_absolute_error(y_test, tree.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
