# mutant: the handler predicts the first image of the batch only
"""A support-vector classifier of handwritten digits, trained by a small trainer class.

`python3 trainer.py` trains and saves digits_svc.pkl; `python3 trainer.py serve` serves it
over HTTP with the standard library."""
import json
import pickle
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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

    def restore(self, path="digits_svc.pkl"):
        with open(path, "rb") as saved:
            self.model = pickle.load(saved)
        return self

    def serve(self, host="127.0.0.1", port=9100):
        """Answer POST /digits {"images": [[64 pixels], ...]} with {"digits": [...]}."""
        model = self.model

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if self.path != "/digits":
                    self.send_error(404)
                    return
                images = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["images"]
                body = json.dumps({"digits": [int(model.predict([images[0]])[0])]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        ThreadingHTTPServer((host, port), Handler).serve_forever()


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        DigitsTrainer().restore().serve()
    else:
        trainer = DigitsTrainer().load().fit()
        print(f"accuracy: {trainer.evaluate():.4f}")
        trainer.save()
