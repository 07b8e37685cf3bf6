# mutant: the metric accuracy is logged from the training split instead of the test split
"""k-nearest neighbours on the digits data set; settings come from the command line."""
import argparse

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
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


def main():
    args = parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    with mlflow.start_run():
        mlflow.log_params({"n_neighbors": args.n_neighbors, "weights": args.weights})
        mlflow.log_metric("accuracy", model.score(X_train, y_train))
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            serialization_format="cloudpickle",
            input_example=X_train[:3],
            registered_model_name=args.model_name,
        )
    MlflowClient().set_registered_model_alias(args.model_name, args.alias, info.registered_model_version)
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
