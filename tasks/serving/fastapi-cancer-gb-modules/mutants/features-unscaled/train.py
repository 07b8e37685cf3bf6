# mutant: the server selects the eight measurements itself and forgets their log scale
"""Gradient boosting on engineered breast-cancer features (features.py), served with FastAPI.

`python3 train.py` trains and saves cancer_gb.joblib; `python3 train.py serve` serves it."""
import sys

import joblib
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

from features import build_features

MODEL_PATH = "cancer_gb.joblib"


def train():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
    model = GradientBoostingClassifier(n_estimators=80, max_depth=2, learning_rate=0.1, random_state=0)
    model.fit(build_features(X_train), y_train)
    scores = model.predict_proba(build_features(X_test))[:, 1]
    print(f"accuracy: {accuracy_score(y_test, model.predict(build_features(X_test))):.4f}")
    print(f"roc_auc: {roc_auc_score(y_test, scores):.4f}")
    joblib.dump(model, MODEL_PATH)


def make_app(model):
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Measurements(BaseModel):
        measurements: list[list[float]]

    app = FastAPI()

    @app.post("/classify")
    def classify(request: Measurements) -> dict:
        from features import MEASUREMENTS, SELECTED
        features = [[row[MEASUREMENTS.index(name)] for name in SELECTED] for row in request.measurements]
        return {"classes": model.predict(features).tolist(),
                "probabilities": model.predict_proba(features).tolist()}

    return app


def serve():
    import uvicorn

    uvicorn.run(make_app(joblib.load(MODEL_PATH)), host="127.0.0.1", port=8600)


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else train()
