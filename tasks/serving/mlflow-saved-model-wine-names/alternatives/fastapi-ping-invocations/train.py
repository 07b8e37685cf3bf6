"""Train the wine cultivar classifier, report its test accuracy and save it as an MLflow
model in ./wine_model; `python3 train.py serve` loads it back with MLflow and serves it with
a FastAPI app of its own that speaks MLflow's protocol (/ping, /invocations)."""
import sys

import mlflow.pyfunc
import mlflow.sklearn
from mlflow.models import infer_signature

from data import load
from model import build


def train():
    X_train, X_test, y_train, y_test = load()
    pipeline = build().fit(X_train, y_train)
    print(f"accuracy: {pipeline.score(X_test, y_test):.4f}")
    print("classes:", ", ".join(pipeline.classes_))
    mlflow.sklearn.save_model(pipeline, "wine_model", serialization_format="cloudpickle",
                              signature=infer_signature(X_train, pipeline.predict(X_train)))


def serve():
    import pandas as pd
    import uvicorn
    from fastapi import FastAPI

    model = mlflow.pyfunc.load_model("wine_model")
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict:
        return {"status": "ok"}

    @app.post("/invocations")
    def invocations(body: dict) -> dict:
        split = body["dataframe_split"]
        frame = pd.DataFrame(split["data"], columns=split["columns"])
        return {"predictions": [str(label) for label in model.predict(frame)]}

    uvicorn.run(app, host="127.0.0.1", port=5004)


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else train()
