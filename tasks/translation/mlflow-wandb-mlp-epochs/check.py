"""MLflow -> W&B offline (MLP epochs): same printed epochs; one history row per epoch."""
import math
import os
import re

from benchcheck import (
    assert_same_score, fail, original_output, program_output, require_success, wandb_offline_run,
)

EPOCH_LINE = re.compile(r"epoch (\d+) train_loss=([0-9.]+) val_acc=([0-9.]+)")

require_success()
assert_same_score("val_accuracy", rel=1e-3)
expected = [(int(e), float(l), float(a)) for e, l, a in EPOCH_LINE.findall(original_output())]
printed = [(int(e), float(l), float(a)) for e, l, a in EPOCH_LINE.findall(program_output())]
if printed != expected:
    fail(f"the per-epoch lines changed: expected {expected}, got {printed}")

run = wandb_offline_run()
if run.get("project") != "digits-mlp":
    fail(f"the run's project is {run.get('project')!r}, expected 'digits-mlp'")
config = run["config"]
if config.get("hidden_units") != 32 or config.get("learning_rate") != 1e-3:
    fail(f"the run's config is {config}; expected hidden_units=32, learning_rate=0.001")

rows = [row for row in run["history"] if "train_loss" in row or "val_accuracy" in row]
steps = [row.get("_step") for row in rows]
if steps != list(range(8)):
    fail(f"expected one history row per epoch with steps 0..7, got steps {steps}")
for row, (epoch, loss, accuracy) in zip(rows, expected):
    if not (math.isclose(row.get("train_loss", math.nan), loss, abs_tol=1e-5)
            and math.isclose(row.get("val_accuracy", math.nan), accuracy, abs_tol=1e-4)):
        fail(f"history at step {epoch} is {row}; the program printed train_loss={loss}, val_acc={accuracy}")
if os.path.exists("mlruns"):
    fail("the program still writes an MLflow store (./mlruns); the tracking should move to W&B")
