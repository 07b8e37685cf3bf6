"""penguins-categories-class: the accuracy is unchanged; every file dataset.py broke is
refused (exit 65, one `schema error: <column>` line on stderr per bad column, no
penguins.joblib), and the valid survey (with unrecorded sexes) trains a penguins.joblib
and prints the original accuracy."""
import math

from benchcheck import (
    assert_same_score, assert_validation, fail, faulty_columns, fed_files, original_output, require_success, score,
)

require_success()
accuracy = assert_same_score("accuracy")


def reported(fed):
    lines = (fed.run["stderr"] or "").splitlines()
    return frozenset(line.partition(":")[2].strip() for line in lines if line.startswith("schema error:"))


fed = fed_files("dataset.py")
assert_validation(fed, reported, model="penguins.joblib", refused_rc=65)

# The valid survey is the one the first run exported: its run must train the same pipeline.
# (The pipeline takes text columns, which the out-of-process loader cannot be sent, so the
# printed accuracy stands for its predictions.)
valid = next(one for one in fed if not faulty_columns(one))
printed_there = score(valid.run["stdout"], "accuracy")
if not math.isclose(printed_there, score(original_output(), "accuracy"), abs_tol=1e-9):
    fail(f"the valid survey's run printed accuracy {printed_there}, the original program {accuracy}")
print("ok")
