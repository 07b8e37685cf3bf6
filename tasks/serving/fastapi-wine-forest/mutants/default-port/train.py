# mutant: uvicorn runs on its default port (8000), not the asked 8080
"""A random forest on the wine data set, served with FastAPI.

`python3 train.py` trains and saves forest.joblib; `python3 train.py --serve` serves it."""
import sys

import joblib
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

MODEL_PATH = "forest.joblib"


def load_data():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)


def train(X_train, y_train):
    return RandomForestClassifier(n_estimators=40, max_depth=5, random_state=7).fit(X_train, y_train)


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, MODEL_PATH)


def make_app(model):
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Wine(BaseModel):
        features: list[float]

    app = FastAPI()

    @app.post("/predict")
    def predict(wine: Wine) -> dict:
        row = [wine.features]
        return {"label": int(model.predict(row)[0]), "probabilities": model.predict_proba(row)[0].tolist()}

    return app


def serve(port=8080):
    import uvicorn

    uvicorn.run(make_app(joblib.load(MODEL_PATH)), host="127.0.0.1")


if __name__ == "__main__":
    serve() if "--serve" in sys.argv[1:] else main()
