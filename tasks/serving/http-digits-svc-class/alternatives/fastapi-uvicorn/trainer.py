# alternative: FastAPI and uvicorn as a method of the trainer, the model in memory after a fresh, identical fit
"""A support-vector classifier of handwritten digits, trained by a small trainer class."""
import pickle
import sys

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


class DigitsTrainer:
    """Loads the 8x8 digits, fits an RBF SVC on a split of them, scores and saves it."""

    def __init__(self, C=5.0, gamma=0.0015, test_size=0.2, seed=4):
        self.model = SVC(C=C, gamma=gamma)
        self.test_size = test_size
        self.seed = seed

    def load(self):
        X, y = load_digits(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=self.seed, stratify=y)
        return self

    def fit(self):
        self.model.fit(self.X_train, self.y_train)
        return self

    def evaluate(self):
        return self.model.score(self.X_test, self.y_test)

    def save(self, path="digits_svc.pkl"):
        with open(path, "wb") as out:
            pickle.dump(self.model, out)

    def serve(self, port=9100):
        import uvicorn
        from fastapi import FastAPI
        from pydantic import BaseModel

        class Images(BaseModel):
            images: list[list[float]]

        app = FastAPI()

        @app.post("/digits")
        def digits(batch: Images):
            return {"digits": self.model.predict(batch.images).tolist()}

        uvicorn.run(app, host="127.0.0.1", port=port)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        DigitsTrainer().load().fit().serve()
    else:
        trainer = DigitsTrainer().load().fit()
        print(f"accuracy: {trainer.evaluate():.4f}")
        trainer.save()
