# mutant: the input example is a bare array, so the signature has no column names
"""A scaled RBF support vector classifier on the iris measurements, registered in MLflow's
model registry with a column signature and an input example."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

MODEL_NAME = "iris-svc"
mlflow.set_tracking_uri("sqlite:///mlflow.db")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)

model = make_pipeline(StandardScaler(), SVC(C=2.0, gamma=0.2))
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")

with mlflow.start_run():
    info = mlflow.sklearn.log_model(
        model, name="model", serialization_format="cloudpickle",
        input_example=X_train.to_numpy()[:5], registered_model_name=MODEL_NAME,
    )
MlflowClient().set_registered_model_alias(MODEL_NAME, "production", info.registered_model_version)
