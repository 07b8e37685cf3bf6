"""k-nearest neighbours on the digits data set; settings come from the command line."""
import argparse

from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-neighbors", type=int, default=4)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--seed", type=int, default=10)
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights)
    model.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
