# alternative: FastAPI reading the raw JSON body (no pydantic model); the server fits the same deterministic model in memory instead of loading the file
"""Gradient boosting on engineered breast-cancer features (features.py)."""
import sys

import joblib
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

from features import build_features


def fit():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
    model = GradientBoostingClassifier(n_estimators=80, max_depth=2, learning_rate=0.1, random_state=0)
    model.fit(build_features(X_train), y_train)
    return model, X_test, y_test


def serve():
    import uvicorn
    from fastapi import FastAPI, Request

    model, _, _ = fit()
    app = FastAPI()

    @app.post("/classify")
    async def classify(request: Request):
        features = build_features((await request.json())["measurements"])
        return {"classes": [int(c) for c in model.predict(features)],
                "probabilities": [list(map(float, p)) for p in model.predict_proba(features)]}

    uvicorn.run(app, host="127.0.0.1", port=8600, log_level="warning")


if __name__ == "__main__":
    if "serve" in sys.argv[1:]:
        serve()
    else:
        model, X_test, y_test = fit()
        scores = model.predict_proba(build_features(X_test))[:, 1]
        print(f"accuracy: {accuracy_score(y_test, model.predict(build_features(X_test))):.4f}")
        print(f"roc_auc: {roc_auc_score(y_test, scores):.4f}")
        joblib.dump(model, "cancer_gb.joblib")
