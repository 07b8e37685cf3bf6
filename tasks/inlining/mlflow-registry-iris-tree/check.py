"""mlflow-registry-iris-tree: the SQLite registry ./mlflow.db holds the model 'iris-tree'
with one version, aliased 'champion', which loads as a pyfunc model and predicts like the
script's tree."""
from benchcheck import (
    assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success, single_model_version,
)

require_success()
assert_same_score("depth")
printed = assert_same_score("accuracy")

import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

NAME, ALIAS = "iris-tree", "champion"

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if client.get_run(version.run_id).info.status != "FINISHED":
    fail("the run that logged the registered model is not FINISHED")

model = mlflow_model(f"models:/{NAME}@{ALIAS}", "pyfunc")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
expected = DecisionTreeClassifier(max_depth=3, min_samples_leaf=3, random_state=9).fit(X_train, y_train)
predicted = np.asarray(model.predict(X_test)).ravel()
if not np.array_equal(predicted, expected.predict(X_test)):
    fail("the champion model does not predict like the script's decision tree")
if abs(float((predicted == y_test.to_numpy()).mean()) - printed) > 6e-5:
    fail("the champion model's test accuracy differs from the printed accuracy")
print("ok")
