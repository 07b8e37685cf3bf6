"""iris-schema-cli: the accuracy is unchanged; every file dataset.py broke is refused (exit
2, one `invalid: <column>` line on stderr per bad column, no model.joblib) and the valid
one trains a model.joblib that predicts like the script's logistic regression."""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import dataset
from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, load_artifact, require_success,
)

require_success()
assert_same_score("accuracy")


def reported(fed):
    lines = (fed.run["stderr"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("invalid:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="model.joblib", refused_rc=2)

# The valid file's run (--C 0.5) trained the script's model on it.
valid = next(one for one in fed if not faulty_columns(one))
df = dataset.frame()
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
X_train, _, y_train, _ = train_test_split(df[features], df["species"], test_size=0.25, random_state=3,
                                          stratify=df["species"])
expected = LogisticRegression(C=0.5, max_iter=500).fit(X_train, y_train)
model = load_artifact("joblib", f"{valid.cwd}/model.joblib")
if not np.array_equal(np.asarray(model.predict(df[features])), expected.predict(df[features])):
    fail(f"{valid.cwd}/model.joblib does not predict like LogisticRegression(C=0.5) trained on the valid file")
print("ok")
