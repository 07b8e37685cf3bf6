# alternative: FastAPI and uvicorn; pydantic refuses malformed bodies with 422 (rows of exactly 13 floats)
"""A scaled k-nearest-neighbours classifier of wines, its settings read from config.json."""
import json
import sys
from typing import Annotated

import joblib
from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

with open("config.json") as settings:
    config = json.load(settings)


def serve():
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel, Field

    class Batch(BaseModel):
        rows: list[Annotated[list[float], Field(min_length=13, max_length=13)]]

    model = joblib.load(config["model_path"])
    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.post("/predict")
    def predict(batch: Batch):
        return {"predictions": model.predict(batch.rows).tolist()}

    uvicorn.run(app, host="127.0.0.1", port=7000)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
        sys.exit()
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
