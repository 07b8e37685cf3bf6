"""mixed-drift-sessions-chi2-ks: the scores are unchanged, and `train.py --drift FILE`
prints `drifted_columns:` naming exactly the columns feed.py changed: a category mix
(chi-square goodness of fit) or a numeric column (two-sample KS), p < 0.01."""
from benchcheck import assert_alarms, assert_same_score, fed_files, names, printed, require_success

require_success()
assert_same_score("accuracy")
assert_same_score("roc_auc")


def expected(batch):
    return frozenset(spec.split("=")[0] for key in ("mix", "shift") for spec in batch.options.get(key, []))


def observed(batch):
    value = printed(batch.run["stdout"], "drifted_columns")
    return None if batch.run["rc"] != 0 or value is None else names(value)


assert_alarms(fed_files("feed.py"), expected, observed)
print("ok")
