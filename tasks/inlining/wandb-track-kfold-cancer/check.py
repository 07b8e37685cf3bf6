"""wandb-track-kfold-cancer: one offline W&B run of project 'cancer-cv' in group 'logreg'
whose config holds the pipeline settings and n_splits, whose history has one row per fold
with accuracy and auc as printed, and whose summary holds the mean and std accuracy."""
import glob
import json
import math
import re
import struct

from benchcheck import assert_same_score, fail, original_output, program_output, require_success

# ---- the same for every W&B task: read the offline run through wandb's own protobufs ----


def wandb_records(path):
    """The records of a .wandb run file. It is a LevelDB-style log: a 7-byte header
    (':W&B', magic, version), then 32 KiB blocks of chunks, each with a 7-byte header
    (crc32, length, type: 1 full, 2 first, 3 middle, 4 last) holding a serialized Record."""
    from wandb.proto import wandb_internal_pb2

    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b":W&B":
        fail(f"{path} is not a W&B run file")
    position, block, pending = 7, 32768, b""
    while position + 7 <= len(data):
        if block - position % block < 7:  # a block's tail too short for a header is padding
            position += block - position % block
            continue
        _crc, length, kind = struct.unpack("<IHB", data[position:position + 7])
        chunk = data[position + 7:position + 7 + length]
        position += 7 + length
        if kind == 0:
            continue
        pending += chunk
        if kind in (1, 4):
            record = wandb_internal_pb2.Record()
            record.ParseFromString(pending)
            pending = b""
            yield record


def _items(updates):
    return {(u.key or "/".join(u.nested_key)): json.loads(u.value_json) for u in updates}


def offline_run():
    """(run record, config, summary, history rows, exit code) of the only offline run."""
    files = glob.glob("wandb/offline-run-*/run-*.wandb")
    if len(files) != 1:
        fail(f"expected one offline W&B run under ./wandb, found {len(files)}")
    run, config, summary, history, exit_code = None, {}, {}, [], None
    for record in wandb_records(files[0]):
        kind = record.WhichOneof("record_type")
        if kind == "run":
            run = record.run
            config.update(_items(record.run.config.update))
        elif kind == "config":
            config.update(_items(record.config.update))
        elif kind == "summary":
            summary.update(_items(record.summary.update))
        elif kind == "history":
            history.append(_items(record.history.item))
        elif kind == "exit":
            exit_code = record.exit.exit_code
    if run is None:
        fail("the W&B run file has no run record")
    config.pop("_wandb", None)
    return run, config, summary, history, exit_code


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


# ---- this task ----

require_success()
printed = {name: assert_same_score(name) for name in ("mean_accuracy", "std_accuracy")}
FOLD_LINE = re.compile(r"fold (\d+): accuracy=([\d.]+) auc=([\d.]+)")
folds = FOLD_LINE.findall(original_output())
if FOLD_LINE.findall(program_output()) != folds:
    fail("the per-fold lines differ from the original program's")

run, config, summary, history, exit_code = offline_run()
if run.project != "cancer-cv" or run.run_group != "logreg":
    fail(f"the run is in project {run.project!r}, group {run.run_group!r}; "
         "expected project 'cancer-cv', group 'logreg'")
if exit_code is None:
    fail("the run was not finished (no exit record): call run.finish()")
expected_config = {"C": 0.3, "penalty": "l2", "max_iter": 500, "n_splits": 5}
if config != expected_config:
    fail(f"config is {config}, expected {expected_config}")

if len(history) != len(folds):
    fail(f"expected {len(folds)} history rows (one per fold), found {len(history)}")
for row, (fold, accuracy, auc) in zip(history, folds):
    if row.get("fold") != int(fold):
        fail(f"history row {row.get('_step')} has fold {row.get('fold')}, expected {fold}")
    if not close(row.get("accuracy"), float(accuracy), 6e-5) or not close(row.get("auc"), float(auc), 6e-5):
        fail(f"history of fold {fold} is accuracy={row.get('accuracy')} auc={row.get('auc')}, "
             f"the program printed accuracy={accuracy} auc={auc}")

for name, value in printed.items():
    if not close(summary.get(name), value, 6e-5):
        fail(f"summary {name} is {summary.get(name)}, the program printed {value}")
print("ok")
