"""wandb-track-forest-cli: one offline W&B run 'extra-trees' of project 'wine-trees'
(job type train, tags baseline and wine) whose config holds the command-line defaults and
whose single history row and summary hold the two printed scores."""
import glob
import json
import math
import struct

from benchcheck import assert_same_score, fail, require_success

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
printed = {name: assert_same_score(name) for name in ("accuracy", "balanced_accuracy")}

run, config, summary, history, exit_code = offline_run()
if run.project != "wine-trees":
    fail(f"the run's project is {run.project!r}, expected 'wine-trees'")
if run.display_name != "extra-trees":
    fail(f"the run is named {run.display_name!r}, expected 'extra-trees'")
if run.job_type != "train":
    fail(f"the run's job type is {run.job_type!r}, expected 'train'")
if sorted(run.tags) != ["baseline", "wine"]:
    fail(f"the run's tags are {list(run.tags)}, expected ['baseline', 'wine']")
if exit_code is None:
    fail("the run was not finished (no exit record): call run.finish()")

defaults = {"n_estimators": 80, "max_features": "sqrt", "min_samples_split": 4, "test_size": 0.3, "seed": 13}
if config != defaults:
    fail(f"config is {config}, expected the command-line defaults {defaults}")

if len(history) != 1:
    fail(f"expected one history row (one wandb.log call), found {len(history)}")
for name, value in printed.items():
    if not close(history[0].get(name), value, 6e-5):
        fail(f"logged {name} is {history[0].get(name)}, the program printed {value}")
    if not close(summary.get(name), value, 6e-5):
        fail(f"summary {name} is {summary.get(name)}, the program printed {value}")
print("ok")
