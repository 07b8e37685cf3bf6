"""rmse-alerts-log-friedman: the test rmse is unchanged, and `train.py --check FILE` prints
the model's RMSE on the batch and appends to alerts.log a line naming FILE for exactly the
batches feed.py changed (RMSE above 1.5 times the test RMSE)."""
import math
import os
import re

import pandas as pd
from sklearn.datasets import make_friedman2
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import feed
from benchcheck import assert_alarms, assert_same_score, fail, fed_files, printed, require_success

require_success()
assert_same_score("rmse")

X, y = make_friedman2(n_samples=1200, noise=20.0, random_state=0)
X = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=0)
model = RandomForestRegressor(n_estimators=120, max_depth=12, random_state=0).fit(X_train, y_train)

fed = fed_files("feed.py")
for batch in fed:
    given = {key: values[-1] for key, values in batch.given.items()}
    rows = feed.batch(int(given["seed"]), int(given.get("rows", 150)), float(given.get("target-scale", 1.0)),
                      float(given.get("noise", 0.0)))
    expected = mean_squared_error(rows["y"], model.predict(rows[list(X.columns)])) ** 0.5
    value = printed(batch.run["stdout"], "batch_rmse")
    try:
        ok = value is not None and math.isclose(float(value), expected, rel_tol=1e-3)
    except ValueError:
        ok = False
    if not ok:
        fail(f"on `{batch.path}` the program printed batch_rmse {value}, the model's RMSE there is {expected:.4f}")

log = ""
if os.path.exists("alerts.log"):
    with open("alerts.log", errors="replace") as handle:
        log = handle.read()


def observed(batch):
    if batch.run["rc"] != 0:
        return None
    return any(re.search(rf"(?<![\w.-]){re.escape(batch.path)}(?![\w.-])", line) for line in log.splitlines())


assert_alarms(fed, lambda batch: bool(batch.options), observed)
print("ok")
