"""wine-report-functions: the accuracy is unchanged; every file dataset.py broke is refused
(exit 3, validation_errors.json listing exactly the bad columns, no forest.joblib) and the
valid one trains a forest.joblib that predicts like the script's model."""
import json
import os

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("accuracy")


def reported(fed):
    path = os.path.join(fed.cwd, "validation_errors.json")
    try:
        with open(path) as handle:
            columns = json.load(handle)["columns"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(str(c) for c in columns) if isinstance(columns, list) else frozenset()


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="forest.joblib", refused_rc=3)

valid = next(one for one in fed if not faulty_columns(one))
if os.path.exists(os.path.join(valid.cwd, "validation_errors.json")):
    fail(f"the valid file's run left a validation_errors.json in {valid.cwd}")
df = dataset.frame()
features = list(dataset.COLUMNS)
X_train, _, y_train, _ = train_test_split(df[features], df["cultivar"], test_size=0.3, random_state=5,
                                          stratify=df["cultivar"])
expected = GradientBoostingClassifier(n_estimators=50, random_state=0).fit(X_train, y_train)
model = load_artifact("joblib", f"{valid.cwd}/forest.joblib")
if not np.array_equal(np.asarray(model.predict(df[features])), expected.predict(df[features])):
    fail(f"{valid.cwd}/forest.joblib does not predict like the script's model trained on the valid file")
print("ok")
