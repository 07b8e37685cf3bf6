# alternative: MlflowClient creates the registered model and the version with tags and descriptions
"""Extra-trees classifier on the wine data set; settings come from the command line. The
model is registered in MLflow with its metadata."""
import argparse

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_wine
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-estimators", type=int, default=120)
    parser.add_argument("--max-depth", type=int, default=5)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--tracking-uri", default="sqlite:///mlflow.db")
    parser.add_argument("--model-name", default="wine-extra-trees")
    parser.add_argument("--owner", default="vision-team")
    parser.add_argument("--alias", default="candidate")
    return parser.parse_args(argv)


def register(args, model, accuracy):
    """The registered model and its version are created with their metadata in one call each."""
    client = MlflowClient()
    client.create_registered_model(
        args.model_name, tags={"owner": args.owner, "dataset": "wine"},
        description="Extra-trees classifier for the wine cultivars",
    )
    with mlflow.start_run() as run:
        mlflow.log_param("n_estimators", args.n_estimators)
        mlflow.log_param("max_depth", args.max_depth)
        mlflow.log_metric("accuracy", accuracy)
        logged = mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    version = client.create_model_version(
        args.model_name, logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id,
        tags={"n_estimators": str(args.n_estimators)}, description=f"accuracy={accuracy:.4f}",
    )
    client.set_registered_model_alias(args.model_name, args.alias, version.version)


def main(argv=None):
    args = parse_args(argv)
    mlflow.set_tracking_uri(args.tracking_uri)
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
    model = ExtraTreesClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=args.seed)
    model.fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    register(args, model, accuracy)
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
