"""sensor-timestamps-cli: the mae is unchanged; every log dataset.py broke is refused (exit
2, one `invalid: <column>` line on stderr per bad column, no sensor_model.joblib) and the
valid one (--learning-rate 0.05) trains a sensor_model.joblib that predicts like the
script's model."""
import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("mae")


def reported(fed):
    lines = (fed.run["stderr"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("invalid:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="sensor_model.joblib", refused_rc=2)

valid = next(one for one in fed if not faulty_columns(one))
log = dataset.frame()
X = pd.get_dummies(log["sensor"], prefix="sensor", dtype=float).join(log[dataset.READINGS])
cut = int(len(X) * 0.8)
expected = GradientBoostingRegressor(learning_rate=0.05, random_state=0).fit(X[:cut], log["y"][:cut])
model = load_artifact("joblib", f"{valid.cwd}/sensor_model.joblib")
if not np.allclose(np.asarray(model.predict(X)), expected.predict(X), rtol=1e-6):
    fail(f"{valid.cwd}/sensor_model.joblib does not predict like the script's model with learning rate 0.05")
print("ok")
