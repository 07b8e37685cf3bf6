"""Train the wine cultivar classifier, report its test accuracy and save it as a custom
MLflow pyfunc model (the pipeline as an artifact) in ./wine_model; `python3 train.py serve`
runs MLflow's scoring server on it through subprocess."""
import os
import subprocess
import sys
import tempfile

import joblib
import mlflow.pyfunc
from mlflow.models import infer_signature

from data import load
from model import build


class Cultivars(mlflow.pyfunc.PythonModel):
    def load_context(self, context):
        self.pipeline = joblib.load(context.artifacts["pipeline"])

    def predict(self, context, model_input, params=None):
        return self.pipeline.predict(model_input)


def train():
    X_train, X_test, y_train, y_test = load()
    pipeline = build().fit(X_train, y_train)
    print(f"accuracy: {pipeline.score(X_test, y_test):.4f}")
    print("classes:", ", ".join(pipeline.classes_))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pipeline.joblib")
        joblib.dump(pipeline, path)
        mlflow.pyfunc.save_model("wine_model", python_model=Cultivars(), artifacts={"pipeline": path},
                                 signature=infer_signature(X_train, pipeline.predict(X_train)))


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        subprocess.run(["mlflow", "models", "serve", "--model-uri", "wine_model", "--env-manager", "local",
                        "-h", "127.0.0.1", "-p", "5004"], check=True)
    else:
        train()
