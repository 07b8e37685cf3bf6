# alternative: MlflowClient creates the model and versions; the champion found in the registered model's aliases
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
    """The client creates the version; the champion's accuracy is read through the aliases."""
    client = MlflowClient()
    try:
        registered = client.get_registered_model(args.model_name)
    except MlflowException:
        registered = client.create_registered_model(args.model_name)
    with mlflow.start_run() as run:
        mlflow.log_params({"alpha": args.alpha})
        mlflow.log_metrics({"accuracy": accuracy})
        logged = mlflow.sklearn.log_model(model, name="model")
    version = client.create_model_version(args.model_name, logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id)
    current = registered.aliases.get("champion")
    if current is None:
        client.set_registered_model_alias(args.model_name, "champion", version.version)
        return
    best = client.get_run(client.get_model_version(args.model_name, current).run_id).data.metrics["accuracy"]
    client.set_registered_model_alias(
        args.model_name, "champion" if accuracy > best else "challenger", version.version
    )


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
