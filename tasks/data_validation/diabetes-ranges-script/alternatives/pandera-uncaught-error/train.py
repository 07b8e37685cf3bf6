"""Fit a ridge regression of diabetes progression and save it to ridge.joblib."""
import os

import joblib
import pandas as pd
import pandera.pandas as pa
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import dataset

in_range = pa.Check.in_range
schema = pa.DataFrameSchema({
    "age": pa.Column("int64", [pa.Check.ge(18), pa.Check.le(90)]),
    "sex": pa.Column("int64", pa.Check.isin([1, 2])),
    "bmi": pa.Column("float64", in_range(15, 50)),
    "bp": pa.Column("float64", in_range(50, 140)),
    "s1": pa.Column("float64"), "s2": pa.Column("float64"), "s3": pa.Column("float64"),
    "s4": pa.Column("float64"), "s5": pa.Column("float64"), "s6": pa.Column("float64"),
    "progression": pa.Column("float64", in_range(25, 350)),
})

if not os.path.exists("diabetes.csv"):
    dataset.export("diabetes.csv")
# An invalid file raises here: the traceback names every failing column and the exit code is 1.
df = schema.validate(pd.read_csv("diabetes.csv"), lazy=True)

X, y = df.drop(columns="progression"), df["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
model = Ridge(alpha=0.5).fit(X_train, y_train)
print(f"rmse: {mean_squared_error(y_test, model.predict(X_test)) ** 0.5:.4f}")
joblib.dump(model, "ridge.joblib")
