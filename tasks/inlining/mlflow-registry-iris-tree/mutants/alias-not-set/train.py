# mutant: the tree is registered but the alias 'champion' is never set
"""A shallow decision tree on the iris data set."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

mlflow.set_tracking_uri("sqlite:///mlflow.db")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)

tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=3, random_state=9)
tree.fit(X_train, y_train)

with mlflow.start_run():
    info = mlflow.sklearn.log_model(
        tree, name="model", serialization_format="cloudpickle", registered_model_name="iris-tree"
    )

print(f"depth: {tree.get_depth()}")
print(f"accuracy: {accuracy_score(y_test, tree.predict(X_test)):.4f}")
