"""ks-feature-drift-wine: the accuracy is unchanged, and `train.py --batch FILE` reports
drift on exactly the batches feed.py shifted, naming exactly the shifted features."""
from benchcheck import assert_alarms, assert_same_score, fed_files, names, printed, require_success

require_success()
assert_same_score("accuracy")


def expected(batch):
    return frozenset(spec.split("=")[0] for spec in batch.options.get("shift", []))


def observed(batch):
    stdout = batch.run["stdout"]
    drift, drifted = printed(stdout, "drift"), names(printed(stdout, "drifted"))
    if batch.run["rc"] != 0 or drift not in ("yes", "no") or (drift == "yes") != bool(drifted):
        return None  # no answer, or one that contradicts itself
    return drifted


assert_alarms(fed_files("feed.py"), expected, observed)
print("ok")
