# mutant: every new version takes the champion alias, even when it scores worse
"""A linear classifier trained by stochastic gradient descent on a synthetic problem;
settings come from the command line, so the script is rerun with other settings."""
import argparse

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alpha", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-name", default="sgd-classifier")
    return parser.parse_args(argv)


def load_split(seed):
    X, y = make_classification(n_samples=1200, n_features=20, n_informative=8, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)


def build(args):
    return make_pipeline(StandardScaler(), SGDClassifier(alpha=args.alpha, max_iter=1000, tol=1e-4, random_state=args.seed))


def register(args, model, accuracy):
    """Every run adds a version; it becomes the champion only if it beats the current one
    (or there is none), otherwise the challenger."""
    with mlflow.start_run():
        mlflow.log_param("alpha", args.alpha)
        mlflow.log_metric("accuracy", accuracy)
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=args.model_name)
    client = MlflowClient()
    try:
        champion = client.get_model_version_by_alias(args.model_name, "champion")
        best = client.get_run(champion.run_id).data.metrics["accuracy"]
    except MlflowException:  # no champion yet
        best = None
    alias = "champion"  # the newest model is the one to serve
    client.set_registered_model_alias(args.model_name, alias, info.registered_model_version)


def main(argv=None):
    args = parse_args(argv)
    X_train, X_test, y_train, y_test = load_split(args.seed)
    model = build(args).fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    register(args, model, accuracy)
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
