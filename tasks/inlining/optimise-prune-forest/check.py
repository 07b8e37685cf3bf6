"""optimise-prune-forest: forest_small.joblib is under 500,000 bytes, loads with joblib,
and its test accuracy is within 0.02 of the full forest's; the full forest is unchanged."""
import math
import os

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from benchcheck import (
    assert_same_score, fail, load_artifact, measure, program_output, require_success, score, seconds_per_call,
)

FULL, SMALL, MAX_BYTES, TOLERANCE = "forest.joblib", "forest_small.joblib", 500_000, 0.02


def load(path):
    model = load_artifact("joblib", path)  # unpickled in a separate process, never here
    if not hasattr(model, "predict"):
        fail(f"{path} holds a {type(model).__name__}, not a fitted estimator")
    return model


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
full = load(FULL)
full_accuracy = full.score(X_test, y_test)
if not math.isclose(full_accuracy, score(program_output(), "accuracy"), abs_tol=1e-4):
    fail(f"{FULL} is no longer the model whose accuracy the program prints")

small = load(SMALL)
size = os.path.getsize(SMALL)
measure("size_ratio", size / os.path.getsize(FULL), "ratio")  # graded: compact file / full file
if size >= MAX_BYTES:
    fail(f"{SMALL} is {size} bytes, the bound is {MAX_BYTES}")
try:
    small_accuracy = small.score(X_test, y_test)
except Exception as exc:
    fail(f"the model in {SMALL} cannot score the test set: {exc}")
if small_accuracy < full_accuracy - TOLERANCE:
    fail(f"compact model accuracy {small_accuracy:.4f} is more than {TOLERANCE} below "
         f"the full forest's {full_accuracy:.4f}")
measure("accuracy_drop", full_accuracy - small_accuracy)
measure("latency_ratio", seconds_per_call(lambda: small.predict(X_test), repeat=5)
        / seconds_per_call(lambda: full.predict(X_test), repeat=5), "ratio")
printed = score(program_output(), "small_accuracy")
if not math.isclose(printed, small_accuracy, abs_tol=1e-4):
    fail(f"printed small_accuracy {printed} but {SMALL} scores {small_accuracy:.4f}")
print("ok")
