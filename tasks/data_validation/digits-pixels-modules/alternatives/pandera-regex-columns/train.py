"""Train the digit classifier from digits.csv and save it to svc.joblib."""
import sys

import joblib
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.metrics import accuracy_score

import data
import model as classifier

schema = pa.DataFrameSchema(
    {
        "sample_id": pa.Column("int64", unique=True),
        r"^p\d+$": pa.Column("int64", [pa.Check.ge(0), pa.Check.le(16)], regex=True),
        "label": pa.Column("int64", pa.Check.isin(list(range(10)))),
    },
)


def main():
    df = data.read()
    missing = [c for c in ["sample_id", *data.PIXELS, "label"] if c not in df.columns]
    try:
        df = schema.validate(df, lazy=True)
    except SchemaErrors as errors:
        failing = [c for c in errors.failure_cases["column"].dropna().astype(str).unique() if c]
        bad = list(dict.fromkeys(missing + [c for c in failing if c in df.columns]))
        print("\n".join(f"rejected column: {c}" for c in bad))
        return 2
    if missing:  # a regex column matches whatever pixels there are: a missing one is not an error to it
        print("\n".join(f"rejected column: {c}" for c in missing))
        return 2
    X_train, X_test, y_train, y_test = data.split(df)
    svc = classifier.build().fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, svc.predict(X_test)):.4f}")
    joblib.dump(svc, "svc.joblib")
    return 0


if __name__ == "__main__":
    sys.exit(main())
