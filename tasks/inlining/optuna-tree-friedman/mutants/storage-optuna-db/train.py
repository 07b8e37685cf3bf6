# mutant: the study is stored in sqlite:///optuna.db instead of the requested sqlite:///hpo.db
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
    "study": {"name": "friedman-tree", "storage": "sqlite:///optuna.db", "n_trials": 10},
}


def make_data(cfg):
    X, y = make_friedman1(n_samples=cfg["n_samples"], noise=cfg["noise"], random_state=cfg["seed"])
    return train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"])


def tune(cfg, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(
        X_train, y_train, test_size=0.25, random_state=cfg["seed"]
    )

    def objective(trial):
        tree = DecisionTreeRegressor(
            random_state=cfg["seed"],
            max_depth=trial.suggest_int("max_depth", 2, 12),
            min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 32, log=True),
            criterion=trial.suggest_categorical("criterion", ["squared_error", "absolute_error"]),
        )
        tree.fit(X_tr, y_tr)
        return mean_absolute_error(y_val, tree.predict(X_val))

    study = optuna.create_study(
        study_name=cfg["study"]["name"],
        storage=cfg["study"]["storage"],
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=cfg["seed"]),
    )
    study.optimize(objective, n_trials=cfg["study"]["n_trials"])
    return study.best_params


def main(cfg=CONFIG):
    X_train, X_test, y_train, y_test = make_data(cfg)
    print(f"n_train: {len(X_train)}")
    best_params = tune(cfg, X_train, y_train)
    print("best_params:", best_params)
    tree = DecisionTreeRegressor(random_state=cfg["seed"], **best_params)
    tree.fit(X_train, y_train)
    print(f"mae: {mean_absolute_error(y_test, tree.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
