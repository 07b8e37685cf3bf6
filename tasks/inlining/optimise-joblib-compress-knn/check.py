"""optimise-joblib-compress-knn: knn_small.joblib loads with joblib and predicts exactly what
the script's model predicts, in at most 20% of knn.joblib's size (which stays as it was),
and the printed size_ratio is the files' ratio."""
import math
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, fail, load_artifact, program_output, require_success, score

from train import build, parse_args  # the unmodified program's model and its defaults

FULL, SMALL, MAX_RATIO, MIN_FULL_BYTES = "knn.joblib", "knn_small.joblib", 0.20, 400_000

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")

args = parse_args([])
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
expected = build(args).fit(X_train, y_train).predict(X_test)

for path in (FULL, SMALL):
    model = load_artifact("joblib", path)  # unpickled in a separate process, never here
    try:
        predicted = np.asarray(model.predict(X_test))
    except Exception as exc:
        fail(f"the model in {path} cannot predict the test split: {exc}")
    if not np.array_equal(predicted, expected):
        fail(f"the model in {path} does not predict what the script's model predicts")

full_size, small_size = os.path.getsize(FULL), os.path.getsize(SMALL)
if full_size < MIN_FULL_BYTES:
    fail(f"{FULL} is {full_size} bytes: it must stay saved as before (uncompressed)")
ratio = small_size / full_size
# graded later: size ratio (ratio)
if ratio > MAX_RATIO:
    fail(f"{SMALL} is {ratio:.1%} of {FULL}, the bound is {MAX_RATIO:.0%}")
printed = score(program_output(), "size_ratio")
if not math.isclose(printed, ratio, abs_tol=1e-4):
    fail(f"printed size_ratio {printed} but {SMALL} / {FULL} is {ratio:.4f}")
print("ok")
