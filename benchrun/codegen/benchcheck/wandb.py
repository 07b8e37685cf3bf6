"""W&B offline runs, read from wandb's transaction log (wandb is imported only when used).

wandb (>= 0.18, wandb-core) writes an offline run only as its transaction log
`wandb/offline-run-*/run-<id>.wandb`: a LevelDB-style log (32 KiB blocks of records
with a 7-byte header: crc32c, length, type) whose payloads are wandb's own protobuf
`Record`s. There is no config.yaml or wandb-summary.json until the run is synced.
"""
from __future__ import annotations

import os

from .judge import fail

_WANDB_BLOCK = 32 * 1024
_FULL, _FIRST, _MIDDLE, _LAST = 1, 2, 3, 4


def _wandb_records(path: str):
    from wandb.proto import wandb_internal_pb2  # the sandbox has wandb; imported only here

    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b":W&B":
        fail(f"{path} is not a W&B run log")
    pos, payload = 7, b""
    while pos + 7 <= len(data):
        left = _WANDB_BLOCK - pos % _WANDB_BLOCK
        if left < 7:  # the writer pads a block's tail that cannot hold a header
            pos += left
            continue
        length, kind = int.from_bytes(data[pos + 4 : pos + 6], "little"), data[pos + 6]
        chunk = data[pos + 7 : pos + 7 + length]
        pos += 7 + length
        if kind == 0:  # zero padding holds no record; skip it rather than stop, records may follow
            continue
        payload += chunk
        if kind in (_FULL, _LAST):
            record = wandb_internal_pb2.Record()
            record.ParseFromString(payload)
            payload = b""
            yield record


def _item_key(item) -> str:
    return item.key or "/".join(item.nested_key)


def wandb_offline_runs(root: str = "wandb") -> list[dict]:
    """Every offline W&B run under `root` (default ./wandb), oldest first, as a dict:
    id, name, project, group, job_type, tags, config, summary, history (list of dicts,
    one per step), exit_code (None until run.finish() or the end of the program writes
    the exit record), files (names saved with wandb.save / in the run's files/ folder), dir."""
    import glob
    import json

    runs = []
    for log in sorted(glob.glob(os.path.join(root, "offline-run-*", "run-*.wandb"))):
        folder = os.path.dirname(log)
        config: dict[str, object] = {}
        summary: dict[str, object] = {}
        history: list[dict[str, object]] = []
        files: list[str] = []
        run: dict[str, object] = {"dir": folder, "config": config, "summary": summary, "history": history,
                                  "files": files, "tags": [], "exit_code": None}
        for record in _wandb_records(log):
            kind = record.WhichOneof("record_type")
            if kind == "run":
                run.update(id=record.run.run_id, name=record.run.display_name, project=record.run.project,
                           group=record.run.run_group, job_type=record.run.job_type, tags=list(record.run.tags))
                for item in record.run.config.update:
                    config[_item_key(item)] = json.loads(item.value_json)
            elif kind == "config":
                for item in record.config.update:
                    config[_item_key(item)] = json.loads(item.value_json)
                for item in record.config.remove:
                    config.pop(_item_key(item), None)
            elif kind == "summary":
                for item in record.summary.update:
                    summary[_item_key(item)] = json.loads(item.value_json)
                for item in record.summary.remove:
                    summary.pop(_item_key(item), None)
            elif kind == "history":
                history.append({_item_key(i): json.loads(i.value_json) for i in record.history.item})
            elif kind == "files":
                files.extend(f.path for f in record.files.files)
            elif kind == "exit":
                run["exit_code"] = record.exit.exit_code
        files_dir = os.path.join(folder, "files")
        if os.path.isdir(files_dir):
            run["files"] = sorted(set(files) | set(os.listdir(files_dir)))
        config.pop("_wandb", None)  # wandb's own bookkeeping
        runs.append(run)
    return runs


def wandb_offline_run(root: str = "wandb") -> dict:
    """The one offline W&B run under `root` (see wandb_offline_runs); fail() unless there
    is exactly one and its log holds the run's own record."""
    runs = wandb_offline_runs(root)
    if len(runs) != 1:
        fail(f"expected one offline W&B run in {os.path.join('.', root)}, found {len(runs)}")
    if "id" not in runs[0]:
        fail(f"the W&B run log in {runs[0]['dir']} has no run record")
    return runs[0]


def wandb_offline_artifacts(run: dict) -> list[dict]:
    """The W&B artifacts an offline run (from wandb_offline_runs) logged, in order: name,
    type and files, each file's path in the artifact -> its MD5 digest in base64 (as W&B's
    manifest writes it; compare with `base64.b64encode(hashlib.md5(data).digest())`).
    An offline run keeps only a staging copy of the files, at an absolute path that the
    judge's copy of the work dir does not have, so the digest is what tells the content."""
    import glob

    artifacts = []
    for log in sorted(glob.glob(os.path.join(run["dir"], "run-*.wandb"))):
        for record in _wandb_records(log):
            if record.WhichOneof("record_type") == "artifact":
                artifact = record.artifact
                artifacts.append({"name": artifact.name, "type": artifact.type,
                                  "files": {entry.path: entry.digest for entry in artifact.manifest.contents}})
    return artifacts
