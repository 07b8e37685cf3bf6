# mutant: the logged model keeps its default pyfunc method, so the server answers labels, not class probabilities
"""Extra trees on the breast cancer data set, logged to MLflow and served by MLflow's
scoring server.

`python3 train.py` trains, prints the scores and logs the model in ./mlruns;
`python3 train.py serve` serves the latest logged model on 127.0.0.1:5001."""
import os
import sys

import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

TRACKING_URI = "file:./mlruns"
EXPERIMENT = "cancer-extratrees"


def train():
    data = load_breast_cancer(as_frame=True)  # the 30 features as named columns
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)

    model = ExtraTreesClassifier(n_estimators=50, max_depth=6, random_state=11)
    model.fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")

    mlflow.set_tracking_uri(TRACKING_URI)
    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run():
        # The input example gives the model a signature with the 30 column names; the
        # served model answers class probabilities, not labels.
        mlflow.sklearn.log_model(model, name="model", input_example=X_train.head(3),
                                 serialization_format="cloudpickle")


def serve():
    mlflow.set_tracking_uri(TRACKING_URI)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT], order_by=["start_time DESC"], max_results=1)
    os.environ["MLFLOW_TRACKING_URI"] = TRACKING_URI
    os.execvp("mlflow", ["mlflow", "models", "serve", "-m", f"runs:/{runs.run_id[0]}/model",
                         "--env-manager", "local", "--host", "127.0.0.1", "--port", "5001"])


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else train()
