"""Reading and splitting the digits CSV."""
import os

import pandas as pd
from sklearn.model_selection import train_test_split

import dataset

PIXELS = [f"p{i}" for i in range(64)]


def read(path="digits.csv"):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the bundled data set
    return pd.read_csv(path)


def split(df):
    return train_test_split(df[PIXELS] / 16.0, df["label"], test_size=0.25, random_state=6, stratify=df["label"])
