# mutant: params logged in one run, metric and model in a second run
"""Train a logistic regression classifier on the iris data set."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

C = 0.5
MAX_ITER = 300

mlflow.set_tracking_uri("file:./mlruns")
mlflow.set_experiment("iris-logreg")

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)

with mlflow.start_run(run_name="params"):
    mlflow.log_params({"C": C, "max_iter": MAX_ITER})

with mlflow.start_run(run_name="training"):
    model = LogisticRegression(C=C, max_iter=MAX_ITER)
    model.fit(X_train, y_train)

    accuracy = accuracy_score(y_test, model.predict(X_test))
    mlflow.log_metric("accuracy", accuracy)
    mlflow.sklearn.log_model(model, name="model")

print(f"accuracy: {accuracy:.4f}")
