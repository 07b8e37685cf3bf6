# alternative: log the model in an explicit run, then mlflow.register_model on its runs:/ URI and alias via a client
"""A shallow decision tree on the iris data set."""
import mlflow
import mlflow.sklearn
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

MODEL_NAME = "iris-tree"


def register(model):
    """Log the model in its own run, register it and make it the champion."""
    run = mlflow.start_run()
    mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    mlflow.end_run()
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
    MlflowClient().set_registered_model_alias(MODEL_NAME, "champion", version.version)
    return version


mlflow.set_tracking_uri("sqlite:///mlflow.db")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)

tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=3, random_state=9)
tree.fit(X_train, y_train)
register(tree)

print(f"depth: {tree.get_depth()}")
print(f"accuracy: {accuracy_score(y_test, tree.predict(X_test)):.4f}")
