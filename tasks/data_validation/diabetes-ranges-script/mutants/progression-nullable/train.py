# mutant: the target column is declared nullable, so rows without a progression are dropped silently
"""Fit a ridge regression of diabetes progression and save it to ridge.joblib; the CSV is
validated first, and a file that breaks the schema is refused (exit 1, no model)."""
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import dataset

SCHEMA = pa.DataFrameSchema(
    {
        "age": pa.Column(int, pa.Check.in_range(18, 90)),
        "sex": pa.Column(int, pa.Check.isin([1, 2])),
        "bmi": pa.Column(float, pa.Check.in_range(15, 50)),
        "bp": pa.Column(float, pa.Check.in_range(50, 140)),
        **{f"s{i}": pa.Column(float) for i in range(1, 7)},
        "progression": pa.Column(float, pa.Check.in_range(25, 350), nullable=True),
    },
)

if not os.path.exists("diabetes.csv"):
    dataset.export("diabetes.csv")  # the first run exports the bundled data set
df = pd.read_csv("diabetes.csv")
try:
    df = SCHEMA.validate(df, lazy=True)
except SchemaErrors as errors:
    print(f"diabetes.csv is invalid:\n{errors}", file=sys.stderr)
    sys.exit(1)

df = df.dropna()
X, y = df.drop(columns="progression"), df["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
model = Ridge(alpha=0.5).fit(X_train, y_train)
print(f"rmse: {mean_squared_error(y_test, model.predict(X_test)) ** 0.5:.4f}")
joblib.dump(model, "ridge.joblib")
