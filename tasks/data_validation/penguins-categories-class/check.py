"""penguins-categories-class: the accuracy is unchanged; every file dataset.py broke is
refused (exit 65, one `schema error: <column>` line on stderr per bad column, no
penguins.joblib), and the valid survey (with unrecorded sexes) trains a penguins.joblib
that predicts like the script's pipeline."""
import numpy as np

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)
from train import CATEGORICAL, NUMERIC, SpeciesModel

require_success()
assert_same_score("accuracy")


def reported(fed):
    lines = (fed.run["stderr"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("schema error:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="penguins.joblib", refused_rc=65)

valid = next(one for one in fed if not faulty_columns(one))
df = dataset.frame()
reference = SpeciesModel()
reference.train(df)
X = df[NUMERIC + CATEGORICAL]
model = load_artifact("joblib", f"{valid.cwd}/penguins.joblib")
if not np.array_equal(np.asarray(model.predict(X)), reference.pipeline.predict(X)):
    fail(f"{valid.cwd}/penguins.joblib does not predict like the script's pipeline trained on the valid survey")
print("ok")
