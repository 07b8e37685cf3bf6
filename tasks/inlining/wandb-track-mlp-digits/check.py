"""wandb-track-mlp-digits: one offline W&B run of project 'digits-mlp' whose config holds
the hyperparameters, whose history has one row per epoch with epoch, loss and
val_accuracy as printed, and whose summary holds the final accuracy."""
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
printed = assert_same_score("accuracy")
EPOCH_LINE = re.compile(r"epoch (\d+): loss=([\d.]+) val_accuracy=([\d.]+)")
epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != epochs:
    fail("the per-epoch lines differ from the original program's")

run, config, summary, history, exit_code = offline_run()
if run.project != "digits-mlp":
    fail(f"the run's project is {run.project!r}, expected 'digits-mlp'")
if exit_code is None:
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
