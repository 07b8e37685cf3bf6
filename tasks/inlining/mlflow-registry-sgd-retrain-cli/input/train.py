"""A linear classifier trained by stochastic gradient descent on a synthetic problem;
settings come from the command line, so the script is rerun with other settings."""
import argparse

from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alpha", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def load_split(seed):
    X, y = make_classification(n_samples=1200, n_features=20, n_informative=8, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)


def build(args):
    return make_pipeline(StandardScaler(), SGDClassifier(alpha=args.alpha, max_iter=1000, tol=1e-4, random_state=args.seed))


def main(argv=None):
    args = parse_args(argv)
    X_train, X_test, y_train, y_test = load_split(args.seed)
    model = build(args).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
