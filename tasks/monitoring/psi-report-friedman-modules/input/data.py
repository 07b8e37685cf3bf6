"""The sensor data: Friedman's regression problem #1 (six uniform inputs x0..x5, five of
which matter), split once for every module."""
import pandas as pd
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split

FEATURES = [f"x{i}" for i in range(6)]


def frame(rows=1500, seed=0):
    X, y = make_friedman1(n_samples=rows, n_features=len(FEATURES), noise=0.5, random_state=seed)
    df = pd.DataFrame(X, columns=FEATURES)
    df["y"] = y
    return df


def split():
    df = frame()
    return train_test_split(df[FEATURES], df["y"], test_size=0.3, random_state=0)
