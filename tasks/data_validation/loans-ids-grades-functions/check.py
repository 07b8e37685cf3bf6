"""loans-ids-grades-functions: the scores are unchanged; every file dataset.py broke is
refused (exit 2, a `validation: {"columns": [...]}` line on stdout naming exactly the bad
columns, no default_model.joblib), and the valid loan book (with self-employed borrowers)
trains a default_model.joblib and prints the original scores."""
import json
import math

from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, original_output, printed,
    require_success, score,
)

require_success()
assert_same_score("accuracy")
assert_same_score("roc_auc")


def reported(fed):
    try:
        columns = json.loads(printed(fed.run["stdout"], "validation") or "null")["columns"]
    except (ValueError, TypeError, KeyError):
        return frozenset()
    return frozenset(str(c) for c in columns) if isinstance(columns, list) else frozenset()


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="default_model.joblib", refused_rc=2)

# The valid loan book is the one the first run exported: its run fits the same pipeline
# (which takes a text column, so its printed scores stand for its predictions).
valid = next(one for one in fed if not faulty_columns(one))
for name in ("accuracy", "roc_auc"):
    there, before = score(valid.run["stdout"], name), score(original_output(), name)
    if not math.isclose(there, before, abs_tol=1e-9):
        fail(f"the valid loan book's run printed {name} {there}, the original program {before}")
print("ok")
