# alternative: the standard library's http.server; any failure to read the rows as a 13-column float array is a 400 (numpy does the checking)
"""A scaled k-nearest-neighbours classifier of wines, its settings read from config.json."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import joblib
import numpy as np
from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

with open("config.json") as settings:
    config = json.load(settings)


class Handler(BaseHTTPRequestHandler):
    model = None

    def answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.answer(200, {"status": "ok"})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/predict":
            self.answer(404, {"error": "not found"})
            return
        try:
            rows = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["rows"]
            if any(isinstance(v, bool) for row in rows for v in row):
                raise ValueError("a boolean is no measurement")
            X = np.array(rows, dtype=float)
            if X.ndim != 2 or X.shape[1] != 13 or not np.isfinite(X).all():
                raise ValueError("rows of 13 numbers expected")
        except (ValueError, KeyError, TypeError) as error:
            self.answer(400, {"error": str(error)})
            return
        self.answer(200, {"predictions": [int(p) for p in self.model.predict(X)]})


if __name__ == "__main__":
    if "--serve" in sys.argv:
        Handler.model = joblib.load(config["model_path"])
        HTTPServer(("127.0.0.1", 7000), Handler).serve_forever()
    else:
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
