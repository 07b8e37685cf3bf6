# alternative: no fluent run at all; MlflowClient creates the experiment and the run, logs
# each param and the metric, the model is saved to a temporary folder with save_model and
# uploaded as the run's "model" artifacts, and the run is closed with set_terminated.
"""Train a logistic regression classifier on the iris data set."""
import os
import tempfile

import mlflow.sklearn
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

C = 0.5
MAX_ITER = 300

client = MlflowClient(tracking_uri="file:./mlruns")
experiment = client.get_experiment_by_name("iris-logreg")
experiment_id = experiment.experiment_id if experiment else client.create_experiment("iris-logreg")
run_id = client.create_run(experiment_id).info.run_id

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)

model = LogisticRegression(C=C, max_iter=MAX_ITER)
model.fit(X_train, y_train)

accuracy = accuracy_score(y_test, model.predict(X_test))
client.log_param(run_id, "C", C)
client.log_param(run_id, "max_iter", MAX_ITER)
client.log_metric(run_id, "accuracy", accuracy)
with tempfile.TemporaryDirectory() as folder:
    saved = os.path.join(folder, "model")
    mlflow.sklearn.save_model(model, saved)
    client.log_artifacts(run_id, saved, artifact_path="model")
client.set_terminated(run_id)
print(f"accuracy: {accuracy:.4f}")
