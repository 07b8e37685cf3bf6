"""Train the digit classifier from digits.csv and save it to svc.joblib; a file that breaks
the schema is refused (exit 2, `rejected column: <name>` lines on stdout, no model)."""
import sys

import joblib
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.metrics import accuracy_score

import data
import model as classifier

SCHEMA = pa.DataFrameSchema({
    "sample_id": pa.Column(int, unique=True),
    **{pixel: pa.Column(int, pa.Check.in_range(0, 16)) for pixel in data.PIXELS},
    "label": pa.Column(int, pa.Check.in_range(0, 9)),
})

df = data.read()
try:
    df = SCHEMA.validate(df, lazy=True)
except SchemaErrors as errors:
    cases = errors.failure_cases
    columns = cases["column"].where(cases["column"].notna(), cases["failure_case"]).astype(str)
    for column in dict.fromkeys(columns):
        print(f"rejected column: {column}")
    sys.exit(2)

X_train, X_test, y_train, y_test = data.split(df)
svc = classifier.build().fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, svc.predict(X_test)):.4f}")
joblib.dump(svc, "svc.joblib")
