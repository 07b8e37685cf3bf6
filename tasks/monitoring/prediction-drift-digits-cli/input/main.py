"""Train a logistic-regression digit classifier from the command line."""
import argparse

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--test-size", type=float, default=0.3)
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = load_digits(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=4, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=2000))
    model.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
