# alternative: sklearn autolog for params and the model, explicit start_run/end_run, accuracy logged by hand
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
# autolog records every constructor argument (C, max_iter, ...) and logs the fitted model as "model".
mlflow.sklearn.autolog(log_models=True, log_datasets=False, silent=True)

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)

run = mlflow.start_run()
try:
    model = LogisticRegression(C=C, max_iter=MAX_ITER)
    model.fit(X_train, y_train)

    accuracy = accuracy_score(y_test, model.predict(X_test))
    mlflow.log_metric("accuracy", accuracy)
finally:
    mlflow.end_run()

print(f"accuracy: {accuracy:.4f}")
