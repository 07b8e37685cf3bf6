"""Extra-trees classifier on the wine data set; settings come from the command line."""
import argparse

from sklearn.datasets import load_wine
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-estimators", type=int, default=120)
    parser.add_argument("--max-depth", type=int, default=5)
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
    model = ExtraTreesClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=args.seed)
    model.fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
