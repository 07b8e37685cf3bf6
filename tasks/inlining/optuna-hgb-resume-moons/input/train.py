"""Histogram gradient boosting on the two-moons problem, configured from the command line."""
import argparse

from sklearn.datasets import make_moons
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-leaf-nodes", type=int, default=31)
    parser.add_argument("--l2-regularization", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args(argv)


def load_split(seed):
    X, y = make_moons(n_samples=1000, noise=0.35, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)


def make_model(learning_rate, max_leaf_nodes, l2_regularization):
    return HistGradientBoostingClassifier(learning_rate=learning_rate, max_leaf_nodes=max_leaf_nodes,
                                          l2_regularization=l2_regularization, max_iter=60, random_state=0)


def main():
    args = parse_args()
    X_train, X_test, y_train, y_test = load_split(args.seed)
    print(f"n_train: {len(X_train)}")
    model = make_model(args.learning_rate, args.max_leaf_nodes, args.l2_regularization).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
