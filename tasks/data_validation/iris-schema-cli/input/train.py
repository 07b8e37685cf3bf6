"""Train a logistic regression on the iris CSV and save it."""
import argparse
import os

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="iris.csv")
parser.add_argument("--C", type=float, default=2.0)
args = parser.parse_args()

if not os.path.exists(args.data):
    dataset.export(args.data)  # the first run exports the bundled data set
df = pd.read_csv(args.data)

X_train, X_test, y_train, y_test = train_test_split(
    df[FEATURES], df["species"], test_size=0.25, random_state=3, stratify=df["species"])
model = LogisticRegression(C=args.C, max_iter=500).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
joblib.dump(model, "model.joblib")
