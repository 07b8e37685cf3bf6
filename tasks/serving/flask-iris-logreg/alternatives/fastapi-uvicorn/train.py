# alternative: FastAPI with a pydantic request model, run by uvicorn
"""Logistic regression on the iris data set."""
import sys

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

if len(sys.argv) > 1 and sys.argv[1] == "serve":
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Batch(BaseModel):
        instances: list[list[float]]

    app = FastAPI()
    model = joblib.load("model.joblib")

    @app.post("/predict")
    def predict(batch: Batch) -> dict:
        return {"predictions": [int(label) for label in model.predict(batch.instances)],
                "probabilities": model.predict_proba(batch.instances).tolist()}

    uvicorn.run(app, host="127.0.0.1", port=8000, log_level="warning")
else:
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
    model = LogisticRegression(C=2.0, max_iter=500).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, "model.joblib")
