"""optimise-sparse-logreg: logreg_sparse.joblib is a fitted linear classifier with at most
10% non-zero coefficients, under 30% of logreg.joblib's size, at most 0.02 less accurate
than the dense model, and the printed scores and count are its own."""
import math
import os

import numpy as np

from benchcheck import assert_same_score, fail, load_artifact, program_output, require_success, score

from train import fit_dense, load_data  # the unmodified program's data and model

DENSE, SPARSE = "logreg.joblib", "logreg_sparse.joblib"
MAX_NONZERO_SHARE, MAX_RATIO, TOLERANCE = 0.10, 0.30, 0.02

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
X_train, X_test, y_train, y_test = load_data()
dense_accuracy = fit_dense(X_train, y_train).score(X_test, y_test)

full = load_artifact("joblib", DENSE)  # unpickled in a separate process
if not math.isclose(full.score(X_test, y_test), dense_accuracy, abs_tol=1e-9):
    fail(f"{DENSE} is no longer the model whose accuracy the program prints")

model = load_artifact("joblib", SPARSE)
coef = getattr(model, "coef_", None)
if coef is None:
    fail(f"{SPARSE} holds no fitted linear classifier (no coef_)")
coef = coef.toarray() if hasattr(coef, "toarray") else np.asarray(coef)
if coef.shape != (3, X_train.shape[1]):
    fail(f"{SPARSE}'s coefficients have shape {coef.shape}, expected (3, {X_train.shape[1]})")
nonzero = int(np.count_nonzero(coef))
if nonzero > MAX_NONZERO_SHARE * coef.size:
    fail(f"{SPARSE} has {nonzero} non-zero coefficients of {coef.size}, at most "
         f"{MAX_NONZERO_SHARE:.0%} are allowed")
ratio = os.path.getsize(SPARSE) / os.path.getsize(DENSE)
if ratio >= MAX_RATIO:
    fail(f"{SPARSE} is {ratio:.0%} of {DENSE}, the bound is {MAX_RATIO:.0%}")
try:
    sparse_accuracy = model.score(X_test, y_test)
except Exception as exc:
    fail(f"the model in {SPARSE} cannot score the test split: {exc}")
# graded later: size ratio (ratio), accuracy drop (dense_accuracy - sparse_accuracy), nonzero share
if sparse_accuracy < dense_accuracy - TOLERANCE:
    fail(f"sparse accuracy {sparse_accuracy:.4f} is more than {TOLERANCE} below {dense_accuracy:.4f}")
output = program_output()
if not math.isclose(score(output, "sparse_accuracy"), sparse_accuracy, abs_tol=1e-4):
    fail(f"printed sparse_accuracy {score(output, 'sparse_accuracy')} but {SPARSE} scores {sparse_accuracy:.4f}")
if score(output, "nonzero_coefficients") != nonzero:
    fail(f"printed nonzero_coefficients {score(output, 'nonzero_coefficients')} but {SPARSE} has {nonzero}")
print("ok")
