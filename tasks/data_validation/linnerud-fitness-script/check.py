"""linnerud-fitness-script: the cross-validated r2 is unchanged; every file dataset.py
broke is refused (exit 2, one `FAILED CHECK: <column>` line on stdout per bad column, no
fitness.joblib) and the valid one trains a fitness.joblib that predicts like the script's
ridge."""
import numpy as np
from sklearn.linear_model import Ridge

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("cv_r2")


def reported(fed):
    lines = (fed.run["stdout"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("FAILED CHECK:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="fitness.joblib", refused_rc=2)

valid = next(one for one in fed if not faulty_columns(one))
df = dataset.frame()
X, Y = df[dataset.EXERCISES], df[dataset.BODY]
model = load_artifact("joblib", f"{valid.cwd}/fitness.joblib")
if not np.allclose(np.asarray(model.predict(X)), Ridge(alpha=10.0).fit(X, Y).predict(X), rtol=1e-6):
    fail(f"{valid.cwd}/fitness.joblib does not predict like the script's ridge trained on the valid file")
print("ok")
