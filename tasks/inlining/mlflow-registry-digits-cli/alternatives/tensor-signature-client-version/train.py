# alternative: a hand-built tensor signature (float64, 64 columns), MlflowClient creates the registered model, its version and the alias
"""k-nearest neighbours on the digits data set; settings come from the command line."""
import argparse

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import ModelSignature
from mlflow.types import Schema, TensorSpec
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-neighbors", type=int, default=4)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--tracking-uri", default="sqlite:///mlflow.db")
    parser.add_argument("--model-name", default="digits-knn")
    parser.add_argument("--alias", default="staging")
    return parser.parse_args()


def pixel_signature(n_features):
    """Rows of n_features float64 pixels in, one integer label per row out."""
    return ModelSignature(
        inputs=Schema([TensorSpec(np.dtype(np.float64), (-1, n_features))]),
        outputs=Schema([TensorSpec(np.dtype(np.int64), (-1,))]),
    )


def register(client, args, run_id, logged):
    try:
        client.create_registered_model(args.model_name)
    except MlflowException:  # an existing model gets a new version
        pass
    version = client.create_model_version(args.model_name, logged.model_uri, run_id=run_id, model_id=logged.model_id)
    client.set_registered_model_alias(args.model_name, args.alias, version.version)
    return version


def main():
    args = parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))

    with mlflow.start_run() as run:
        mlflow.log_param("n_neighbors", args.n_neighbors)
        mlflow.log_param("weights", args.weights)
        mlflow.log_metric("accuracy", accuracy)
        logged = mlflow.sklearn.log_model(
            model, name="model", serialization_format="cloudpickle", signature=pixel_signature(X.shape[1])
        )
    register(MlflowClient(tracking_uri=args.tracking_uri, registry_uri=args.tracking_uri), args, run.info.run_id, logged)
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
