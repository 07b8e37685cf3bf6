# alternative: tracking URI from the environment; MlflowClient creates the registered model and its version from the logged model, then the alias
"""A shallow decision tree on the iris data set."""
import os

os.environ["MLFLOW_TRACKING_URI"] = "sqlite:///mlflow.db"

import mlflow  # noqa: E402  (reads the tracking URI above)
import mlflow.sklearn  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.metrics import accuracy_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)

tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=3, random_state=9)
tree.fit(X_train, y_train)

client = MlflowClient()
client.create_registered_model("iris-tree")
with mlflow.start_run() as run:
    logged = mlflow.sklearn.log_model(tree, name="model", serialization_format="cloudpickle")
version = client.create_model_version(
    "iris-tree", logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id
)
client.set_registered_model_alias("iris-tree", "champion", version.version)

print(f"depth: {tree.get_depth()}")
print(f"accuracy: {accuracy_score(y_test, tree.predict(X_test)):.4f}")
