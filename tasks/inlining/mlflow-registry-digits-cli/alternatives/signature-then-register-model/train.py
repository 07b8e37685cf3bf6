# alternative: explicit infer_signature, log in a run, then mlflow.register_model; alias set with a client bound to the URI
"""k-nearest neighbours on the digits data set; settings come from the command line."""
import argparse

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.models import infer_signature
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-neighbors", type=int, default=4)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--tracking-uri", default="sqlite:///mlflow.db",
                        help="MLflow tracking and registry URI")
    parser.add_argument("--model-name", default="digits-knn", help="registered model name")
    parser.add_argument("--alias", default="staging", help="alias for the new version")
    return parser.parse_args()


def publish(model, args, accuracy, X_sample):
    """Log the run, register its model and point the alias at the new version."""
    signature = infer_signature(X_sample, model.predict(X_sample))
    run = mlflow.start_run()
    mlflow.log_param("n_neighbors", args.n_neighbors)
    mlflow.log_param("weights", args.weights)
    mlflow.log_metric("accuracy", accuracy)
    mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle", signature=signature)
    mlflow.end_run()
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", args.model_name)
    MlflowClient(tracking_uri=args.tracking_uri).set_registered_model_alias(
        args.model_name, args.alias, version.version
    )


def main():
    args = parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    publish(model, args, accuracy, X_train[:3])
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
