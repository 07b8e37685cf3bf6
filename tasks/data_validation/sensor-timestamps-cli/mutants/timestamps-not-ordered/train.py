# mutant: timestamps are parsed but their order is not checked
"""Fit a gradient-boosting model of y on the sensor log (readings plus sensor), train on
the earlier readings and test on the later ones; save it to sensor_model.joblib. A log that breaks the schema is refused (exit 2)."""
import argparse
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

import dataset

READING = pa.Column(float, pa.Check.in_range(0.0, 1.0))
SCHEMA = pa.DataFrameSchema({
    "timestamp": pa.Column(
        "datetime64[ns]",
        coerce=True,  # the CSV holds ISO text; a value that is not a time fails the cast
    ),
    "sensor": pa.Column(str, pa.Check.isin(["S1", "S2", "S3"])),
    **{name: READING for name in dataset.READINGS},
    "y": pa.Column(float),
})


def load(path):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the log
    try:
        log = SCHEMA.validate(pd.read_csv(path), lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        columns = cases["column"].where(cases["schema_context"] != "DataFrameSchema", cases["failure_case"])
        for column in dict.fromkeys(columns.astype(str)):
            print(f"invalid: {column}", file=sys.stderr)
        sys.exit(2)
    features = pd.get_dummies(log["sensor"], prefix="sensor", dtype=float).join(log[dataset.READINGS])
    return features, log["y"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", default="sensors.csv")
    parser.add_argument("--learning-rate", type=float, default=0.1)
    args = parser.parse_args()
    X, y = load(args.log)
    cut = int(len(X) * 0.8)  # time order: the last 20 % is the test period
    model = GradientBoostingRegressor(learning_rate=args.learning_rate, random_state=0).fit(X[:cut], y[:cut])
    print(f"mae: {mean_absolute_error(y[cut:], model.predict(X[cut:])):.4f}")
    joblib.dump(model, "sensor_model.joblib")


if __name__ == "__main__":
    main()
