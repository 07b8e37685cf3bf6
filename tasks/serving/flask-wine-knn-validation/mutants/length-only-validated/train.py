# mutant: rows are checked for their length but not for numbers
"""A scaled k-nearest-neighbours classifier of wines, its settings read from config.json.

`python3 train.py` trains and saves the model; `python3 train.py --serve` serves it with
Flask: a health route, and predictions for well-formed rows only (400 otherwise)."""
import json
import sys

import joblib
from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

N_FEATURES = 13

with open("config.json") as settings:
    config = json.load(settings)


def train():
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config["test_size"],
                                                        random_state=config["seed"], stratify=y)
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=config["n_neighbors"],
                                                                 weights=config["weights"]))
    model.fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"accuracy: {(predictions == y_test).mean():.4f}")
    print(f"balanced_accuracy: {balanced_accuracy_score(y_test, predictions):.4f}")
    joblib.dump(model, config["model_path"])


def valid_rows(payload):
    """The rows of a request body, or None unless it is {"rows": [...]} with every row a
    list of exactly 13 numbers."""
    rows = payload.get("rows") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        return None
    for row in rows:
        if not isinstance(row, list) or len(row) != N_FEATURES:
            return None
    return rows


def serve():
    from flask import Flask, jsonify, request

    model = joblib.load(config["model_path"])
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    @app.post("/predict")
    def predict():
        rows = valid_rows(request.get_json(silent=True))
        if rows is None:
            return jsonify(error=f"expected {{\"rows\": [[{N_FEATURES} numbers], ...]}}"), 400
        return jsonify(predictions=model.predict(rows).tolist())

    app.run(host="127.0.0.1", port=7000)


if __name__ == "__main__":
    serve() if "--serve" in sys.argv[1:] else train()
