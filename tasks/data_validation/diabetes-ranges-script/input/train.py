"""Fit a ridge regression of diabetes progression and save it to ridge.joblib."""
import os

import joblib
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import dataset

if not os.path.exists("diabetes.csv"):
    dataset.export("diabetes.csv")  # the first run exports the bundled data set
df = pd.read_csv("diabetes.csv")

X, y = df.drop(columns="progression"), df["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
model = Ridge(alpha=0.5).fit(X_train, y_train)
print(f"rmse: {mean_squared_error(y_test, model.predict(X_test)) ** 0.5:.4f}")
joblib.dump(model, "ridge.joblib")
