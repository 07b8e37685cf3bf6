# alternative: the run's model registered afterwards, compared with the best accuracy of the earlier versions' runs
"""A linear classifier trained by stochastic gradient descent on a synthetic problem;
settings come from the command line, so the script is rerun with other settings."""
import argparse

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient

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
    """Register the run's model afterwards; compare with the best accuracy any earlier
    version's run logged, as the champion always holds it."""
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", args.alpha)
        mlflow.log_metric("accuracy", accuracy)
        mlflow.sklearn.log_model(model, name="model")
    client = MlflowClient()
    earlier = client.search_model_versions(f"name='{args.model_name}'")
    best = max((client.get_run(v.run_id).data.metrics["accuracy"] for v in earlier), default=None)
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", args.model_name)
    alias = "champion" if best is None or accuracy > best else "challenger"
    client.set_registered_model_alias(args.model_name, alias, version.version)


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
