# alternative: the standard library's ThreadingHTTPServer on every interface
"""A random forest on the wine data set."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


def handler_for(model):
    class Predict(BaseHTTPRequestHandler):
        def do_POST(self):
            features = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["features"]
            proba = model.predict_proba([features])[0]
            answer = json.dumps({"label": model.predict([features]).tolist()[0],
                                 "probabilities": [float(p) for p in proba]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Predict


if __name__ == "__main__":
    if "--serve" in sys.argv:
        ThreadingHTTPServer(("0.0.0.0", 8080), handler_for(joblib.load(MODEL_PATH))).serve_forever()
    else:
        main()
