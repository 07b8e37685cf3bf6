"""wandb-track-sgd-regression: one offline W&B run of project 'sgd-regression' whose
config holds epochs, eta0 and alpha, whose history has one row per epoch at _step=epoch
with train_mse and val_mse as printed, and whose summary holds r2."""
import math
import re

from benchcheck import (
    assert_same_score, fail, original_output, program_output, require_success, wandb_offline_run,
)


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


require_success()
printed = assert_same_score("r2")
EPOCH_LINE = re.compile(r"epoch (\d+): train_mse=([\d.]+) val_mse=([\d.]+)")
epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != epochs:
    fail("the per-epoch lines differ from the original program's")

run = wandb_offline_run()
config, summary, history = run["config"], run["summary"], run["history"]
if run["project"] != "sgd-regression":
    fail(f"the run's project is {run['project']!r}, expected 'sgd-regression'")
if run["exit_code"] is None:
    fail("the run was not finished (no exit record): call run.finish()")

for key, value in {"epochs": 6, "eta0": 0.005, "alpha": 1e-4}.items():
    if not close(config.get(key), value, 1e-12):
        fail(f"config {key} is {config.get(key)!r}, expected {value!r} (config: {config})")

if len(history) != len(epochs):
    fail(f"expected {len(epochs)} history rows (one per epoch), found {len(history)}")
for row, (epoch, train_mse, val_mse) in zip(history, epochs):
    if row.get("_step") != int(epoch):
        fail(f"a history row has _step {row.get('_step')}, expected the epoch {epoch}")
    if not close(row.get("train_mse"), float(train_mse), 6e-4) or not close(row.get("val_mse"), float(val_mse), 6e-4):
        fail(f"history of epoch {epoch} is train_mse={row.get('train_mse')} val_mse={row.get('val_mse')}, "
             f"the program printed train_mse={train_mse} val_mse={val_mse}")

if not close(summary.get("r2"), printed, 6e-5):
    fail(f"summary r2 is {summary.get('r2')}, the program printed {printed}")
print("ok")
