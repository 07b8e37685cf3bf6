"""Train the digit classifier from digits.csv and save it to svc.joblib."""
import joblib
import numpy as np
from pandas.api.types import is_integer_dtype
from sklearn.metrics import accuracy_score

import data
import model as classifier


def rejected(df):
    bad = []
    limits = {"sample_id": None, **{p: (0, 16) for p in data.PIXELS}, "label": (0, 9)}
    for column, bounds in limits.items():
        if column not in df:
            bad.append(column)
            continue
        values = df[column]
        if not is_integer_dtype(values):  # text, or an empty cell (which makes the column float)
            bad.append(column)
        elif bounds is None and values.duplicated().any():
            bad.append(column)
        elif bounds is not None and not np.all((values.to_numpy() >= bounds[0]) & (values.to_numpy() <= bounds[1])):
            bad.append(column)
    return bad


df = data.read()
bad = rejected(df)
if bad:
    for column in bad:
        print("rejected column:", column)
    raise SystemExit(2)

X_train, X_test, y_train, y_test = data.split(df)
svc = classifier.build().fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, svc.predict(X_test)):.4f}")
joblib.dump(svc, "svc.joblib")
