"""wandb-track-mlp-digits: one offline W&B run of project 'digits-mlp' whose config holds
the hyperparameters, whose history has one row per epoch with epoch, loss and
val_accuracy as printed, and whose summary holds the final accuracy."""
import math
import re

from benchcheck import (
    assert_same_score, fail, original_output, program_output, require_success, wandb_offline_run,
)


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


require_success()
printed = assert_same_score("accuracy")
EPOCH_LINE = re.compile(r"epoch (\d+): loss=([\d.]+) val_accuracy=([\d.]+)")
epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != epochs:
    fail("the per-epoch lines differ from the original program's")

run = wandb_offline_run()
config, summary, history = run["config"], run["summary"], run["history"]
if run["project"] != "digits-mlp":
    fail(f"the run's project is {run['project']!r}, expected 'digits-mlp'")
if run["exit_code"] is None:
    fail("the run was not finished (no exit record): call run.finish()")

expected_config = {"hidden_layer_sizes": [48], "learning_rate_init": 0.003, "epochs": 10, "batch_size": 64}
for key, value in expected_config.items():
    if key not in config:
        fail(f"config has no {key!r} (keys: {sorted(config)})")
    if config[key] != value and not (isinstance(value, float) and close(config[key], value, 1e-12)):
        fail(f"config {key} is {config[key]!r}, expected {value!r}")

rows = [row for row in history if "val_accuracy" in row]
if len(rows) != len(epochs) or len(history) != len(epochs):
    fail(f"expected {len(epochs)} history rows (one per epoch), found {len(history)}")
for row, (epoch, loss, val_accuracy) in zip(rows, epochs):
    if row.get("epoch") != int(epoch):
        fail(f"history row {row.get('_step')} has epoch {row.get('epoch')}, expected {epoch}")
    if not close(row.get("loss"), float(loss), 6e-6) or not close(row["val_accuracy"], float(val_accuracy), 6e-5):
        fail(f"history of epoch {epoch} is loss={row.get('loss')} val_accuracy={row['val_accuracy']}, "
             f"the program printed loss={loss} val_accuracy={val_accuracy}")

if not close(summary.get("accuracy"), printed, 6e-5):
    fail(f"summary accuracy is {summary.get('accuracy')}, the program printed {printed}")
print("ok")
