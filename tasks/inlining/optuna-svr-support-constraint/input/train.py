"""Support-vector regression on the Friedman #3 problem, configured from the command line.
The model keeps some training rows as support vectors: the more it keeps, the larger it is
and the slower it predicts."""
import argparse

from sklearn.datasets import make_friedman3
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--gamma", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=9)
    return parser.parse_args(argv)


def make_model(C, epsilon, gamma):
    return make_pipeline(StandardScaler(), SVR(C=C, epsilon=epsilon, gamma=gamma))


def support_share(model, n_rows):
    """The share of the rows the model was fitted on that it keeps as support vectors."""
    return len(model[-1].support_) / n_rows


def main():
    args = parse_args()
    X, y = make_friedman3(n_samples=600, noise=0.1, random_state=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    print(f"n_train: {len(X_train)}")
    model = make_model(args.C, args.epsilon, args.gamma).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"mae: {mean_absolute_error(y_test, predictions):.4f}")
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"support_share: {support_share(model, len(X_train)):.4f}")


if __name__ == "__main__":
    main()
