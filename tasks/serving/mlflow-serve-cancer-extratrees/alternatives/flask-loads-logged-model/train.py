"""Extra trees on the breast cancer data set, logged to MLflow with the client API;
a small Flask app loads the logged model back and speaks MLflow's /invocations format."""
import argparse

import mlflow.sklearn
import pandas as pd
from mlflow import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

STORE = "file:./mlruns"


def train():
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)
    model = ExtraTreesClassifier(n_estimators=50, max_depth=6, random_state=11)
    model.fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")

    client = MlflowClient(tracking_uri=STORE)
    experiment_id = client.create_experiment("cancer-extratrees")
    run = client.create_run(experiment_id)
    mlflow.set_tracking_uri(STORE)
    with mlflow.start_run(run_id=run.info.run_id):  # resume the client's run to attach the model
        mlflow.sklearn.log_model(model, name="gb", serialization_format="cloudpickle",
                                 input_example=X_train.iloc[:2])


def serve():
    from flask import Flask, jsonify, request

    client = MlflowClient(tracking_uri=STORE)
    experiment = client.get_experiment_by_name("cancer-extratrees")
    run = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time DESC"])[0]
    mlflow.set_tracking_uri(STORE)
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/gb")
    app = Flask(__name__)

    @app.post("/invocations")
    def invocations():
        split = request.get_json()["dataframe_split"]
        frame = pd.DataFrame(split["data"], columns=split["columns"])
        return jsonify(predictions=model.predict_proba(frame).tolist())

    app.run(host="127.0.0.1", port=5001)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", default="train", choices=["train", "serve"])
    serve() if parser.parse_args().mode == "serve" else train()
