"""wandb-track-sgd-regression: one offline W&B run of project 'sgd-regression' whose
config holds epochs, eta0 and alpha, whose history has one row per epoch at _step=epoch
with train_mse and val_mse as printed, and whose summary holds r2."""
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
printed = assert_same_score("r2")
EPOCH_LINE = re.compile(r"epoch (\d+): train_mse=([\d.]+) val_mse=([\d.]+)")
epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != epochs:
    fail("the per-epoch lines differ from the original program's")

run, config, summary, history, exit_code = offline_run()
if run.project != "sgd-regression":
    fail(f"the run's project is {run.project!r}, expected 'sgd-regression'")
if exit_code is None:
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
