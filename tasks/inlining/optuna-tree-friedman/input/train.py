"""Decision tree regression on the Friedman #1 benchmark function."""
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

CONFIG = {
    "n_samples": 500,
    "noise": 1.0,
    "seed": 3,
    "test_size": 0.2,
    "tree": {"max_depth": 6, "min_samples_leaf": 5},
}


def make_data(cfg):
    X, y = make_friedman1(n_samples=cfg["n_samples"], noise=cfg["noise"], random_state=cfg["seed"])
    return train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"])


def main(cfg=CONFIG):
    X_train, X_test, y_train, y_test = make_data(cfg)
    print(f"n_train: {len(X_train)}")
    tree = DecisionTreeRegressor(random_state=cfg["seed"], **cfg["tree"])
    tree.fit(X_train, y_train)
    print(f"mae: {mean_absolute_error(y_test, tree.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
