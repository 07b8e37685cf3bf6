"""window-accuracy-digits-stream: the accuracy is unchanged, and `train.py --stream FILE`
prints `alarm_windows:` naming exactly the 50-row windows (numbered from 0) that feed.py
mislabelled from --flip-from on, and `none` for a clean stream."""
from benchcheck import assert_alarms, assert_same_score, fed_files, names, printed, require_success

require_success()
assert_same_score("accuracy")

WINDOW = 50


def expected(batch):
    if "flip" not in batch.options:
        return frozenset()
    rows = int(batch.given.get("rows", ["300"])[-1])
    start = int(batch.options.get("flip-from", ["0"])[-1])
    return frozenset(str(w) for w in range(start // WINDOW, (rows + WINDOW - 1) // WINDOW))


def observed(batch):
    value = printed(batch.run["stdout"], "alarm_windows")
    return None if batch.run["rc"] != 0 or value is None else names(value)


assert_alarms(fed_files("feed.py"), expected, observed)
print("ok")
