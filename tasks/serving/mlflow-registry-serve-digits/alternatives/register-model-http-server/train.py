"""A support vector classifier on the digits data set; the run's model is registered with
mlflow.register_model and a standard-library HTTP server answers MLflow's /invocations
requests with the model the alias "production" points to."""
import json
import sys

import mlflow
import mlflow.sklearn
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

mlflow.set_tracking_uri("sqlite:///registry.db")


class DigitsTrainer:
    def __init__(self, C=5.0, gamma=0.001, seed=2):
        self.C, self.gamma, self.seed = C, gamma, seed
        self.model = None

    def split(self):
        X, y = load_digits(return_X_y=True)
        return train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)

    def fit(self, X_train, y_train):
        self.model = SVC(C=self.C, gamma=self.gamma).fit(X_train, y_train)
        return self.model

    def report(self, X_test, y_test):
        predicted = self.model.predict(X_test)
        print(f"accuracy: {accuracy_score(y_test, predicted):.4f}")
        print(f"f1_macro: {f1_score(y_test, predicted, average='macro'):.4f}")


def serve():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    model = mlflow.sklearn.load_model("models:/digits-svc@production")

    class Invocations(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path != "/invocations":
                self.send_error(404)
                return
            rows = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["inputs"]
            body = json.dumps({"predictions": model.predict(rows).tolist()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", 5003), Invocations).serve_forever()


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
        sys.exit()
    trainer = DigitsTrainer()
    X_train, X_test, y_train, y_test = trainer.split()
    trainer.fit(X_train, y_train)
    trainer.report(X_test, y_test)
    with mlflow.start_run() as run:
        mlflow.sklearn.log_model(trainer.model, name="model", input_example=X_train[:2])
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", "digits-svc")
    mlflow.MlflowClient().set_registered_model_alias("digits-svc", "production", version.version)
