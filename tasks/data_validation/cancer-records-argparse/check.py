"""cancer-records-argparse: the scores are unchanged; every file dataset.py broke is refused
(exit 3, `ERROR column=<name>` lines on stderr naming exactly the bad columns, no model
file) and the valid one (--C 0.3) trains a pickled model that predicts like the
script's pipeline."""
import re

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("accuracy")
assert_same_score("roc_auc")


def reported(fed):
    return frozenset(re.findall(r"^ERROR column=(\S+)", fed.run["stderr"] or "", re.MULTILINE))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="model.pkl", refused_rc=3)  # every after command gives --output model.pkl

valid = next(one for one in fed if not faulty_columns(one))
df = dataset.frame()
X, y = df[dataset.MEASUREMENTS], (df["diagnosis"] == "malignant").astype(int)
X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
expected = make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=1000)).fit(X_train, y_train)
model = load_artifact("pickle", f"{valid.cwd}/model.pkl")
if not np.allclose(np.asarray(model.predict_proba(X_test)), expected.predict_proba(X_test), atol=1e-6):
    fail(f"{valid.cwd}/model.pkl does not predict like the script's pipeline with C=0.3 trained on the valid file")
print("ok")
