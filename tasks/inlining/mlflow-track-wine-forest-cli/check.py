"""mlflow-track-wine-forest-cli: a run named 'wine-rf' in experiment 'wine-forest' of the
./mlruns file store with the CLI defaults as params, accuracy and f1_macro, and a model
that predicts like the script's forest."""
import math
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "f1_macro")}

import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

EXPERIMENT = "wine-forest"

if not os.path.isdir("mlruns"):
    fail("no MLflow file store at ./mlruns (the default of --tracking-uri)")
uri = "file:" + os.path.abspath("mlruns")
client = MlflowClient(tracking_uri=uri)
experiment = client.get_experiment_by_name(EXPERIMENT)
if experiment is None:
    fail(f"no experiment named {EXPERIMENT!r} in ./mlruns")
runs = client.search_runs([experiment.experiment_id])
if len(runs) != 1:
    fail(f"expected one run in {EXPERIMENT!r}, found {len(runs)}")
run = runs[0]
if run.info.status != "FINISHED":
    fail(f"the run is {run.info.status}, not FINISHED")
if run.info.run_name != "wine-rf":
    fail(f"the run is named {run.info.run_name!r}, expected 'wine-rf'")

HYPER = {"n_estimators": 60, "max_depth": 4, "min_samples_leaf": 2, "seed": 7}
params = run.data.params
for name, value in HYPER.items():
    if name not in params:
        fail(f"param {name!r} not logged (params: {sorted(params)})")
    if params[name] != str(value):
        fail(f"param {name} is {params[name]!r}, expected {value}")

for name, value in printed.items():
    logged = run.data.metrics.get(name)
    if logged is None:
        fail(f"metric {name!r} not logged (metrics: {sorted(run.data.metrics)})")
    if not math.isclose(logged, value, abs_tol=6e-5):
        fail(f"metric {name} is {logged}, the program printed {value}")

mlflow.set_tracking_uri(uri)
try:
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
expected = RandomForestClassifier(n_estimators=60, max_depth=4, min_samples_leaf=2, random_state=7)
expected.fit(X_train, y_train)
if not np.allclose(model.predict_proba(X_test), expected.predict_proba(X_test)):
    fail("the logged model does not predict like the script's RandomForestClassifier")
print("ok")
