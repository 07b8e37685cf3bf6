# alternative: the standard library's http.server, listening on every interface
"""Logistic regression on the iris data set."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


class Handler(BaseHTTPRequestHandler):
    model = None

    def do_POST(self):
        if self.path != "/predict":
            self.send_error(404)
            return
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        rows = payload["instances"]
        body = json.dumps({"predictions": self.model.predict(rows).tolist(),
                           "probabilities": self.model.predict_proba(rows).tolist()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        Handler.model = joblib.load("model.joblib")
        HTTPServer(("", 8000), Handler).serve_forever()
    else:
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
        model = LogisticRegression(C=2.0, max_iter=500).fit(X_train, y_train)
        print(f"accuracy: {model.score(X_test, y_test):.4f}")
        joblib.dump(model, "model.joblib")
