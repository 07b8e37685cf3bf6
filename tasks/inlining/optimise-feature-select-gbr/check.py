"""optimise-feature-select-gbr: gbr_selected.joblib takes the 30 raw columns but its
predictions depend on at most 6 of them, all in the printed selected_features list; its
test R² is at most 0.02 below the full booster's and the printed selected_r2 is its own."""
import ast
import math
import re

import numpy as np

from benchcheck import assert_same_score, fail, load_artifact, program_output, require_success, score

from data import N_FEATURES, load_split  # the unmodified program's data and model
from model import make_model

SMALL, MAX_KEPT, TOLERANCE = "gbr_selected.joblib", 6, 0.02

require_success()  # the program ran to the end, before anything else
assert_same_score("r2")
X_train, X_test, y_train, y_test = load_split()
full_r2 = make_model().fit(X_train, y_train).score(X_test, y_test)

lines = re.findall(r"^selected_features:\s*(\[.*\])\s*$", program_output(), re.MULTILINE)
try:
    printed = ast.literal_eval(lines[-1]) if lines else None
except (ValueError, SyntaxError):
    printed = None
if not isinstance(printed, list) or not all(type(i) is int and 0 <= i < N_FEATURES for i in printed):
    fail("no 'selected_features: [i, j, ...]' line with column indices in the output")
if len(set(printed)) > MAX_KEPT:
    fail(f"{len(set(printed))} columns selected, at most {MAX_KEPT} are allowed")

model = load_artifact("joblib", SMALL)  # unpickled in a separate process
try:
    base = np.asarray(model.predict(X_test), dtype=float).ravel()
except Exception as exc:
    fail(f"the model in {SMALL} cannot predict from the {N_FEATURES} raw columns: {exc}")
# A column the model reads changes some prediction when its values are shuffled among rows.
used = []
for column in range(N_FEATURES):
    shuffled = X_test.copy()
    shuffled[:, column] = X_test[::-1, column]
    if not np.allclose(np.asarray(model.predict(shuffled), dtype=float).ravel(), base):
        used.append(column)
if len(used) > MAX_KEPT:
    fail(f"the model's predictions depend on {len(used)} columns {used}, at most {MAX_KEPT} are allowed")
if not set(used) <= set(printed):
    fail(f"the model reads columns {sorted(set(used) - set(printed))} that selected_features does not list")

small_r2 = 1.0 - float(np.sum((y_test - base) ** 2) / np.sum((y_test - y_test.mean()) ** 2))
# graded later: R² drop (full_r2 - small_r2), columns kept (len(used))
if small_r2 < full_r2 - TOLERANCE:
    fail(f"the compact model's R² {small_r2:.4f} is more than {TOLERANCE} below {full_r2:.4f}")
if not math.isclose(score(program_output(), "selected_r2"), small_r2, abs_tol=1e-4):
    fail(f"printed selected_r2 {score(program_output(), 'selected_r2')} but {SMALL} scores {small_r2:.4f}")
print("ok")
