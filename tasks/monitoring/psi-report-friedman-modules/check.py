"""psi-report-friedman-modules: the scores are unchanged, and `train.py --monitor FILE`
writes FILE's stem + .psi.json with the population stability index of every input
(training deciles, floor 1e-4) and the inputs above 0.2: exactly those feed.py shifted or
squeezed."""
import json
import math
import os

import numpy as np

import data
import feed
from benchcheck import assert_alarms, assert_same_score, fail, fed_files, require_success

require_success()
assert_same_score("r2")
assert_same_score("mae")

X_train, _, _, _ = data.split()


def psi(reference, current):
    edges = np.quantile(reference, np.linspace(0, 1, 11)[1:-1])
    expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=10) / len(reference)
    actual = np.bincount(np.searchsorted(edges, current, side="right"), minlength=10) / len(current)
    expected, actual = np.clip(expected, 1e-4, None), np.clip(actual, 1e-4, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def report(batch):
    path = os.path.join(batch.cwd, os.path.splitext(batch.path)[0] + ".psi.json")
    try:
        with open(path) as handle:
            content = json.load(handle)
        return content if isinstance(content, dict) else None
    except (OSError, ValueError):
        return None


fed = fed_files("feed.py")
for batch in fed:
    content = report(batch)
    if content is None or not isinstance(content.get("psi"), dict) or not isinstance(content.get("drifted"), list):
        fail(f"no readable {os.path.splitext(batch.path)[0]}.psi.json with a psi object and a drifted list "
             f"after `{batch.command}`")
    rows = feed.batch(int(batch.given["seed"][-1]), int(batch.given.get("rows", ["500"])[-1]),
                      batch.given.get("shift", []), batch.given.get("scale", []))
    for column in data.FEATURES:
        expected = psi(X_train[column].to_numpy(), rows[column].to_numpy())
        value = content["psi"].get(column)
        if not isinstance(value, (int, float)) or not math.isclose(value, expected, rel_tol=0.02, abs_tol=0.02):
            fail(f"{os.path.splitext(batch.path)[0]}.psi.json gives {column} a PSI of {value}, expected {expected:.4f}")


def expected_drift(batch):
    return frozenset(spec.split("=")[0] for key in ("shift", "scale") for spec in batch.options.get(key, []))


assert_alarms(fed, expected_drift, lambda batch: frozenset(str(c) for c in report(batch)["drifted"]))
print("ok")
