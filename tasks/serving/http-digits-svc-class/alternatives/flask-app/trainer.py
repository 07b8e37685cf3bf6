# alternative: Flask, the pickle loaded at import time of the serve branch
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


def serve():
    from flask import Flask, request

    with open("digits_svc.pkl", "rb") as saved:
        model = pickle.load(saved)
    app = Flask("digits")

    @app.route("/digits", methods=["POST"])
    def digits():
        return {"digits": [int(d) for d in model.predict(request.json["images"])]}  # a dict is sent as JSON

    app.run(port=9100)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve()
    else:
        trainer = DigitsTrainer().load().fit()
        print(f"accuracy: {trainer.evaluate():.4f}")
        trainer.save()
