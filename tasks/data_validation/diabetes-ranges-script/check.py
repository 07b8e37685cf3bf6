"""diabetes-ranges-script: the rmse is unchanged; every file dataset.py broke is refused
(a non-zero exit, the bad columns named on stderr, no ridge.joblib) and the valid one
trains a ridge.joblib that predicts like the script's model."""
import re

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("rmse")

COLUMNS = list(dataset.frame().columns)


def reported(fed):
    """The columns stderr names as whole words (any message format: the check is loose)."""
    text = fed.run["stderr"] or ""
    return frozenset(c for c in COLUMNS if re.search(rf"(?<![\w]){re.escape(c)}(?![\w])", text))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="ridge.joblib", exact=False)

valid = next(one for one in fed if not faulty_columns(one))
df = dataset.frame()
X, y = df.drop(columns="progression"), df["progression"]
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=8)
expected = Ridge(alpha=0.5).fit(X_train, y_train).predict(X)
model = load_artifact("joblib", f"{valid.cwd}/ridge.joblib")
if not np.allclose(np.asarray(model.predict(X)), expected, rtol=1e-6):
    fail(f"{valid.cwd}/ridge.joblib does not predict like the script's ridge trained on the valid file")
print("ok")
