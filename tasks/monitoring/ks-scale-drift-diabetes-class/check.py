"""ks-scale-drift-diabetes-class: the scores are unchanged, and `train.py --watch FILE`
prints one `ALERT <feature>` line for exactly the features feed.py stretched or shifted
(two-sample KS against the training split, p < 0.01), none for a clean batch."""
from benchcheck import assert_alarms, assert_same_score, fed_files, require_success

require_success()
assert_same_score("r2")
assert_same_score("rmse")


def expected(batch):
    return frozenset(spec.split("=")[0] for key in ("scale", "shift") for spec in batch.options.get(key, []))


def observed(batch):
    if batch.run["rc"] != 0:
        return None
    lines = (batch.run["stdout"] or "").splitlines()
    return frozenset(line.split(None, 1)[1].strip() for line in lines if line.startswith("ALERT ") and line[6:].strip())


assert_alarms(fed_files("feed.py"), expected, observed)
print("ok")
