"""digits-pixels-modules: the accuracy is unchanged; every file dataset.py broke is refused
(exit 2, one `rejected column: <name>` line on stdout per bad column, no svc.joblib) and the
valid one trains an svc.joblib that predicts like the script's SVC."""
import numpy as np

import data
import dataset
import model as classifier
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("accuracy")


def reported(fed):
    lines = (fed.run["stdout"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("rejected column:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="svc.joblib", refused_rc=2)

valid = next(one for one in fed if not faulty_columns(one))
X_train, X_test, y_train, _ = data.split(dataset.frame())
expected = classifier.build().fit(X_train, y_train).predict(X_test)
model = load_artifact("joblib", f"{valid.cwd}/svc.joblib")
if not np.array_equal(np.asarray(model.predict(X_test)), expected):
    fail(f"{valid.cwd}/svc.joblib does not predict like the script's SVC trained on the valid file")
print("ok")
