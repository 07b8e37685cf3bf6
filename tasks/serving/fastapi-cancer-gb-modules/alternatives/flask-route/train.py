# alternative: Flask instead of FastAPI, on every interface
"""Gradient boosting on engineered breast-cancer features (features.py)."""
import sys

import joblib
from flask import Flask, jsonify, request
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

from features import build_features

app = Flask(__name__)


@app.route("/classify", methods=["POST"])
def classify():
    features = build_features(request.get_json()["measurements"])
    return jsonify(classes=app.config["MODEL"].predict(features).tolist(),
                   probabilities=app.config["MODEL"].predict_proba(features).tolist())


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        app.config["MODEL"] = joblib.load("cancer_gb.joblib")
        app.run(host="0.0.0.0", port=8600)
    else:
        X, y = load_breast_cancer(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
        model = GradientBoostingClassifier(n_estimators=80, max_depth=2, learning_rate=0.1, random_state=0)
        model.fit(build_features(X_train), y_train)
        scores = model.predict_proba(build_features(X_test))[:, 1]
        print(f"accuracy: {accuracy_score(y_test, model.predict(build_features(X_test))):.4f}")
        print(f"roc_auc: {roc_auc_score(y_test, scores):.4f}")
        joblib.dump(model, "cancer_gb.joblib")
