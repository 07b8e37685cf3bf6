"""Ridge regression on the split diabetes data; writes ridge.pkl and eval/metrics.json."""
import json
import os
import pickle

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error


def train(alpha=0.5):
    train_frame = pd.read_csv("data/train.csv")
    test_frame = pd.read_csv("data/test.csv")
    model = Ridge(alpha=alpha).fit(train_frame.drop(columns="target"), train_frame["target"])
    predictions = model.predict(test_frame.drop(columns="target"))
    rmse = float(np.sqrt(mean_squared_error(test_frame["target"], predictions)))
    with open("ridge.pkl", "wb") as handle:
        pickle.dump(model, handle)
    os.makedirs("eval", exist_ok=True)
    with open("eval/metrics.json", "w") as handle:
        json.dump({"rmse": rmse}, handle)
    return rmse


if __name__ == "__main__":
    train()
