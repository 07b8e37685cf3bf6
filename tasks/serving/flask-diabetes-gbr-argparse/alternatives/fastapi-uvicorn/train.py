# alternative: FastAPI and uvicorn, the body declared as a list of float lists
"""Gradient boosting on the diabetes data set, configured from the command line."""
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
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--port", type=int, default=5000)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.serve:
        import uvicorn
        from fastapi import Body, FastAPI

        model = joblib.load(args.model)
        app = FastAPI()

        @app.post("/predict")
        def predict(rows: list[list[float]] = Body(...)) -> list[float]:
            return model.predict(rows).tolist()

        uvicorn.run(app, host="127.0.0.1", port=args.port)
        return
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=args.seed)
    model = GradientBoostingRegressor(n_estimators=args.n_estimators, learning_rate=args.learning_rate,
                                      max_depth=args.max_depth, subsample=args.subsample,
                                      random_state=args.seed).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"r2: {r2_score(y_test, predictions):.4f}")
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    joblib.dump(model, args.model)


if __name__ == "__main__":
    main()
