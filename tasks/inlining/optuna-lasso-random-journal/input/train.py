"""Lasso regression on the diabetes data set, configured from the command line."""
import argparse

from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    print(f"n_train: {len(X_train)}")
    model = Lasso(alpha=args.alpha, max_iter=5000).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"mae: {mean_absolute_error(y_test, predictions):.4f}")


if __name__ == "__main__":
    main()
