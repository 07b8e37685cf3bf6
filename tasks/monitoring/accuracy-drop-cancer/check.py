"""accuracy-drop-cancer: the scores are unchanged, and `train.py monitor FILE` prints the
model's accuracy on the batch and raises its alarm on exactly the batches whose labels
feed.py flipped (accuracy more than 0.05 below the test accuracy)."""
import math

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score

import feed
from benchcheck import assert_alarms, assert_same_score, fail, fed_files, printed, require_success
from train import load_split

require_success()
assert_same_score("accuracy")
assert_same_score("f1")

X_train, X_test, y_train, y_test = load_split()
model = RandomForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train)
fed = fed_files("feed.py")
for batch in fed:
    given = {key: values[-1] for key, values in batch.given.items()}
    rows = feed.batch(int(given["seed"]), int(given.get("rows", 80)), float(given.get("flip", 0.0)))
    expected = accuracy_score(rows["target"], model.predict(rows.drop(columns="target")))
    value = printed(batch.run["stdout"], "batch_accuracy")
    try:
        ok = value is not None and math.isclose(float(value), expected, abs_tol=1.5e-4)
    except ValueError:
        ok = False
    if not ok:
        fail(f"on `{batch.path}` the program printed batch_accuracy {value}, the model's accuracy there is {expected:.4f}")


def observed(batch):
    alarm = printed(batch.run["stdout"], "alarm")
    return None if batch.run["rc"] != 0 or alarm not in ("on", "off") else alarm == "on"


assert_alarms(fed, lambda batch: "flip" in batch.options, observed)
print("ok")
