"""Fit a KNN regressor with the k of params.yaml; write model.joblib and metrics.json."""
import json

import joblib
import numpy as np
import yaml
from sklearn.datasets import make_regression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor


def main():
    with open("params.yaml") as handle:
        k = yaml.safe_load(handle)["knn"]["k"]
    features, target = make_regression(n_samples=400, n_features=6, noise=10.0, random_state=3)
    x_train, x_test, y_train, y_test = train_test_split(features, target, random_state=3)
    model = KNeighborsRegressor(n_neighbors=k).fit(x_train, y_train)
    rmse = float(np.sqrt(np.mean((model.predict(x_test) - y_test) ** 2)))
    joblib.dump(model, "model.joblib")
    with open("metrics.json", "w") as handle:
        json.dump({"rmse": rmse}, handle)
    return rmse


if __name__ == "__main__":
    main()
