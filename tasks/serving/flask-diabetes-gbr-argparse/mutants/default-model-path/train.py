# mutant: the server loads the model from the default path, ignoring --model
"""Gradient boosting on the diabetes data set, configured from the command line.

`python3 train.py [options]` trains and saves the model; `python3 train.py --serve
[--port PORT] [--model PATH]` serves the saved model with Flask."""
import argparse

import joblib
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train a gradient-boosting regressor on the diabetes data.")
    parser.add_argument("--n-estimators", type=int, default=150)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--subsample", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--model", default="diabetes_gbr.joblib", help="where the fitted model is saved")
    parser.add_argument("--serve", action="store_true", help="serve the saved model instead of training")
    parser.add_argument("--port", type=int, default=5000)
    return parser.parse_args(argv)


def train(args):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=args.seed)
    model = GradientBoostingRegressor(n_estimators=args.n_estimators, learning_rate=args.learning_rate,
                                      max_depth=args.max_depth, subsample=args.subsample,
                                      random_state=args.seed).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"r2: {r2_score(y_test, predictions):.4f}")
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    joblib.dump(model, args.model)


def serve(args):
    from flask import Flask, jsonify, request

    model = joblib.load("diabetes_gbr.joblib")
    app = Flask(__name__)

    @app.post("/predict")
    def predict():
        rows = request.get_json()
        return jsonify(model.predict(rows).tolist())

    app.run(host="127.0.0.1", port=args.port)


def main(argv=None):
    args = parse_args(argv)
    serve(args) if args.serve else train(args)


if __name__ == "__main__":
    main()
