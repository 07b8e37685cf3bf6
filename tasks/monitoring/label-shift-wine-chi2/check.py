"""label-shift-wine-chi2: the accuracy is unchanged, and `train.py --labels FILE` prints the
p-value of the chi-square goodness-of-fit test of the batch's class counts against the
training split's class shares, and reports label shift on exactly the batches feed.py
skewed (p < 0.01)."""
import math

import pandas as pd
from scipy.stats import chisquare
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

import feed
from benchcheck import assert_alarms, assert_same_score, fail, fed_files, printed, require_success

require_success()
assert_same_score("accuracy")

X, y = load_wine(return_X_y=True, as_frame=True)
_, _, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
shares = y_train.value_counts(normalize=True).sort_index()

fed = fed_files("feed.py")
for batch in fed:
    given = {key: values[-1] for key, values in batch.given.items()}
    labels = feed.batch(int(given["seed"]), int(given.get("rows", 60)), given.get("share"))["target"]
    counts = pd.Series(labels).value_counts().reindex(shares.index, fill_value=0)
    expected = chisquare(counts.to_numpy(), f_exp=(shares * counts.sum()).to_numpy()).pvalue
    value = printed(batch.run["stdout"], "p_value")
    try:
        ok = value is not None and math.isclose(float(value), expected, rel_tol=1e-3, abs_tol=1e-9)
    except ValueError:
        ok = False
    if not ok:
        fail(f"on `{batch.path}` the program printed p_value {value}; the goodness-of-fit test of its class "
             f"counts {counts.tolist()} against the training shares gives {expected:.6g}")


def observed(batch):
    shift = printed(batch.run["stdout"], "label_shift")
    return None if batch.run["rc"] != 0 or shift not in ("yes", "no") else shift == "yes"


assert_alarms(fed, lambda batch: "share" in batch.options, observed)
print("ok")
