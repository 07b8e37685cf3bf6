"""mlflow-track-ridge-sweep: in experiment 'diabetes-ridge-sweep' of the ./mlruns file
store, a parent run 'sweep' with best_alpha, r2 and the final model, and one nested child
run per alpha with its cross-validated cv_r2 (as printed)."""
import math
import re

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_file_store, mlflow_model, mlflow_runs,
    original_output, program_output, require_success,
)

require_success()
printed = assert_same_score("r2")
best_alpha = assert_same_score("best_alpha")
ALPHA_LINE = re.compile(r"alpha=([\d.]+): cv_r2=([-\d.]+)")
sweep = ALPHA_LINE.findall(original_output())
if ALPHA_LINE.findall(program_output()) != sweep:
    fail("the per-alpha lines differ from the original program's")

from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

EXPERIMENT = "diabetes-ridge-sweep"

runs = mlflow_runs(mlflow_file_store("mlruns"), EXPERIMENT, "./mlruns")
parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
if len(parents) != 1 or parents[0].info.run_name != "sweep":
    fail(f"expected one top-level run named 'sweep', found {[r.info.run_name for r in parents]}")
parent = parents[0]
children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
if len(children) != len(runs) - 1:
    fail("some runs are neither the parent nor its children")
if any(r.info.status != "FINISHED" for r in runs):
    fail(f"not every run is FINISHED: {[r.info.status for r in runs]}")

logged = {}
for child in children:
    if "alpha" not in child.data.params or "cv_r2" not in child.data.metrics:
        fail(f"child run {child.info.run_name!r} lacks the param alpha or the metric cv_r2")
    logged[float(child.data.params["alpha"])] = child.data.metrics["cv_r2"]
expected = {float(a): float(v) for a, v in sweep}
if sorted(logged) != sorted(expected):
    fail(f"child runs cover alphas {sorted(logged)}, expected one per alpha {sorted(expected)}")
for alpha, value in expected.items():
    if not math.isclose(logged[alpha], value, abs_tol=6e-5):
        fail(f"cv_r2 of alpha={alpha} is {logged[alpha]}, the program printed {value}")

assert_run_params(parent, {"best_alpha": best_alpha})
assert_run_metrics(parent, {"r2": printed})

model = mlflow_model(f"runs:/{parent.info.run_id}/model", "sklearn", "the model logged as 'model' in the parent run")
X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
if not math.isclose(model.score(X_test, y_test), printed, abs_tol=6e-5):
    fail(f"the logged model's test r2 is {model.score(X_test, y_test):.4f}, printed {printed}")
if not math.isclose(model.alpha, best_alpha):
    fail(f"the logged model has alpha={model.alpha}, not the best alpha {best_alpha}")
print("ok")
