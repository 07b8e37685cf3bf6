# mutant: the endpoint answers the most frequent training class for every row instead of predicting
"""Logistic regression on the iris data set, served over HTTP with Flask.

`python3 train.py` trains and saves model.joblib; `python3 train.py serve` serves it."""
import sys

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def train():
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
    model = LogisticRegression(C=2.0, max_iter=500).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, "model.joblib")


def serve():
    from flask import Flask, jsonify, request

    model = joblib.load("model.joblib")
    app = Flask(__name__)

    @app.post("/predict")
    def predict():
        rows = request.get_json()["instances"]
        return jsonify(predictions=[0 for _ in rows], probabilities=[[1.0, 0.0, 0.0] for _ in rows])

    app.run(host="127.0.0.1", port=8000)


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else train()
