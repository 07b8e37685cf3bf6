"""wandb-track-boosting-stages: one offline W&B run of project 'diabetes-boosting' whose
config is the boosting params, whose history has the test MSE of every stage (checked
against a re-fit of the original model), and whose summary holds best_stage and r2."""
import glob
import json
import math
import struct
import sys

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
printed_r2 = assert_same_score("r2")
best_stage = assert_same_score("best_stage")
lines = [l for l in original_output().splitlines() if l.startswith("stage ")]
if [l for l in program_output().splitlines() if l.startswith("stage ")] != lines:
    fail("the per-stage lines differ from the original program's")

sys.path.insert(0, ".original")
from train import BoostingStudy  # the unmodified program, re-fitted for the expected errors

study = BoostingStudy()
study.model.fit(study.X_train, study.y_train)
errors = study.stage_errors()

run, config, summary, history, exit_code = offline_run()
if run.project != "diabetes-boosting":
    fail(f"the run's project is {run.project!r}, expected 'diabetes-boosting'")
if exit_code is None:
    fail("the run was not finished (no exit record): call run.finish()")
if config != BoostingStudy.params:
    fail(f"config is {config}, expected exactly {BoostingStudy.params}")

if len(history) != len(errors):
    fail(f"expected {len(errors)} history rows (one per stage), found {len(history)}")
for stage, (row, error) in enumerate(zip(history, errors), start=1):
    if row.get("stage") != stage or not close(row.get("test_mse"), error, 1e-6 * error):
        fail(f"history row {row.get('_step')} is stage={row.get('stage')} test_mse={row.get('test_mse')}, "
             f"expected stage={stage} test_mse={error}")

if summary.get("best_stage") != int(best_stage):
    fail(f"summary best_stage is {summary.get('best_stage')}, the program printed {int(best_stage)}")
if not close(summary.get("r2"), printed_r2, 6e-5):
    fail(f"summary r2 is {summary.get('r2')}, the program printed {printed_r2}")
print("ok")
