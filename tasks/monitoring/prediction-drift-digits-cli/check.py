"""prediction-drift-digits-cli: the accuracy is unchanged, and `main.py monitor FILE` prints
the p-value of the chi-square goodness-of-fit test of the digits the model predicts on
the batch against the training label shares, and exits 3 on exactly the batches feed.py
skewed (p < 0.001), 0 on the others."""
import math

import numpy as np
from scipy.stats import chisquare
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import feed
from benchcheck import assert_alarms, assert_same_score, fail, fed_files, printed, require_success

require_success()
assert_same_score("accuracy")

X, y = load_digits(return_X_y=True, as_frame=True)
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)).fit(X_train, y_train)
shares = y_train.value_counts(normalize=True).sort_index().to_numpy()

fed = fed_files("feed.py")
for batch in fed:
    given = {key: values[-1] for key, values in batch.given.items()}
    rows = feed.batch(int(given["seed"]), int(given.get("rows", 200)), given.get("share"))
    counts = np.bincount(model.predict(rows), minlength=10)
    expected = chisquare(counts, f_exp=shares * counts.sum()).pvalue
    value = printed(batch.run["stdout"], "p_value")
    try:
        ok = value is not None and math.isclose(float(value), expected, rel_tol=1e-3, abs_tol=1e-12)
    except ValueError:
        ok = False
    if not ok:
        fail(f"on `{batch.path}` the program printed p_value {value}; the test of the predicted digit counts "
             f"{counts.tolist()} against the training shares gives {expected:.6g}")


def observed(batch):
    return {0: False, 3: True}.get(batch.run["rc"])  # any other exit code: no answer


assert_alarms(fed, lambda batch: "share" in batch.options, observed)
print("ok")
