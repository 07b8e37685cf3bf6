"""mlflow-track-wine-forest-cli: a run named 'wine-rf' in experiment 'wine-forest' of the
./mlruns file store with the CLI defaults as params, accuracy and f1_macro, and a model
that predicts like the script's forest."""
from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_single_run, require_success,
)

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "f1_macro")}

import numpy as np
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

EXPERIMENT = "wine-forest"

client, run = mlflow_single_run(EXPERIMENT, hint=" (the default of --tracking-uri)")
if run.info.run_name != "wine-rf":
    fail(f"the run is named {run.info.run_name!r}, expected 'wine-rf'")

HYPER = {"n_estimators": 60, "max_depth": 4, "min_samples_leaf": 2, "seed": 7}
assert_run_params(run, {name: str(value) for name, value in HYPER.items()})  # logged as given on the CLI
assert_run_metrics(run, printed)

model = mlflow_model(f"runs:/{run.info.run_id}/model", "sklearn", "the model logged as 'model' in the run")

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
expected = RandomForestClassifier(n_estimators=60, max_depth=4, min_samples_leaf=2, random_state=7)
expected.fit(X_train, y_train)
if not np.allclose(model.predict_proba(X_test), expected.predict_proba(X_test)):
    fail("the logged model does not predict like the script's RandomForestClassifier")
print("ok")
