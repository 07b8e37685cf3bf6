"""Helpers for a task's check.py, which runs in the judge (sandboxes/judge_runner.py):
served from memory there, so it imports the standard library only; the helpers for W&B,
DVC, git, Optuna, ONNX and MLflow import their library when called.

    from benchcheck import program_rc, program_output, original_output, score, assert_same_score, fail

The check runs in a copy of the dir the candidate program left, after that program and all
its processes ended. What the program printed and its exit code, and what the unmodified
program printed (run once per task from a pristine copy), come from the judge, never from
files the program could have written. Artefacts that must be unpickled (joblib, pickle,
MLflow models) are loaded by `load_artifact` / `mlflow_model` in a separate process that
hands back only plain values and arrays: unpickling runs code, never in the judge.
"""
from __future__ import annotations

import base64
import functools
import io
import json
import math
import os
import re
import select
import subprocess
import sys

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)"

# Set by the judge before this module runs: the entry's name, the candidate's and the
# original program's exit code, stdout and stderr.
_JUDGE: dict = globals().get("_JUDGE") or {}


def fail(message: str) -> None:
    """End the check: the sample fails, and `message` says why."""
    print(f"CHECK FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def _run(which: str) -> dict:
    run = _JUDGE.get(which)
    if run is None:
        fail(f"the judge gave no record of the {which} program's run")
    return run


def program_rc() -> int:
    """Exit code of the candidate program (-1 if it was killed)."""
    rc = _run("program")["rc"]
    return rc if isinstance(rc, int) else -1


def program_output() -> str:
    """What the candidate program printed on stdout (its last 64 KiB)."""
    return _run("program")["stdout"]


def program_errors() -> str:
    """What the candidate program printed on stderr (its last 64 KiB)."""
    return _run("program")["stderr"]


def require_success() -> None:
    """fail() unless the candidate program exited 0, quoting the end of its stderr."""
    rc = program_rc()
    if rc != 0:
        tail = "\n".join(program_errors().strip().splitlines()[-15:])
        fail(f"the program exited with code {rc}:\n{tail}")


def entry() -> str:
    """The file name of the program (e.g. train.py)."""
    return _JUDGE.get("entry") or fail("the judge did not name the entry file")


def original_output() -> str:
    """stdout of the unmodified program, run once per task from a pristine copy."""
    original = _run("original")
    if original["rc"] != 0:
        tail = "\n".join(original["stderr"].strip().splitlines()[-15:])
        fail(f"the original program exited with code {original['rc']} (a broken task):\n{tail}")
    return original["stdout"]


def score(text: str, name: str) -> float:
    """The value of the last line like `name: 0.95` or `name=0.95` in `text`."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\s*[:=]\s*{_NUMBER}", re.IGNORECASE)
    found = pattern.findall(text)
    if not found:
        fail(f"no '{name}: <number>' line in the output")
    return float(found[-1])


def assert_same_score(name: str, rel: float = 1e-6, abs_: float = 1e-9) -> float:
    """The candidate printed the same `name` score as the original program; returns it."""
    expected = score(original_output(), name)
    actual = score(program_output(), name)
    if not math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_):
        fail(f"{name} changed: the original program prints {expected}, this one {actual}")
    return actual


# ---------------------------------------------------------------- W&B offline runs
# wandb (>= 0.18, wandb-core) writes an offline run only as its transaction log
# `wandb/offline-run-*/run-<id>.wandb`: a LevelDB-style log (32 KiB blocks of records
# with a 7-byte header: crc32c, length, type) whose payloads are wandb's own protobuf
# `Record`s. There is no config.yaml or wandb-summary.json until the run is synced.

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
        run = {"dir": os.path.dirname(log), "config": {}, "summary": {}, "history": [], "files": [], "tags": [],
               "exit_code": None}
        for record in _wandb_records(log):
            kind = record.WhichOneof("record_type")
            if kind == "run":
                run.update(id=record.run.run_id, name=record.run.display_name, project=record.run.project,
                           group=record.run.run_group, job_type=record.run.job_type, tags=list(record.run.tags))
                for item in record.run.config.update:
                    run["config"][_item_key(item)] = json.loads(item.value_json)
            elif kind == "config":
                for item in record.config.update:
                    run["config"][_item_key(item)] = json.loads(item.value_json)
                for item in record.config.remove:
                    run["config"].pop(_item_key(item), None)
            elif kind == "summary":
                for item in record.summary.update:
                    run["summary"][_item_key(item)] = json.loads(item.value_json)
                for item in record.summary.remove:
                    run["summary"].pop(_item_key(item), None)
            elif kind == "history":
                run["history"].append({_item_key(i): json.loads(i.value_json) for i in record.history.item})
            elif kind == "files":
                run["files"].extend(f.path for f in record.files.files)
            elif kind == "exit":
                run["exit_code"] = record.exit.exit_code
        files_dir = os.path.join(run["dir"], "files")
        if os.path.isdir(files_dir):
            run["files"] = sorted(set(run["files"]) | set(os.listdir(files_dir)))
        run["config"].pop("_wandb", None)  # wandb's own bookkeeping
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


# ---------------------------------------------------------------- DVC and git state
# Read through DVC's and GitPython's own APIs (imported only when used).


def dvc_artifact(path: str, rev: str, kind: str = "joblib"):
    """`path` as DVC gives it back at `rev`, loaded by load_artifact (never in the judge)."""
    import tempfile

    import dvc.api

    try:
        data = dvc.api.read(path, rev=rev, mode="rb")
    except Exception as error:  # noqa: BLE001  not tracked at that revision, or not in the cache
        fail(f"DVC cannot give back {path} at {rev}: {type(error).__name__}: {error}")
    with tempfile.NamedTemporaryFile(suffix="-" + os.path.basename(path), delete=False) as handle:
        handle.write(data)
    return load_artifact(kind, handle.name, what=f"{path} at {rev}")


def dvc_repo(path: str = "."):
    """The DVC project in `path`; fail() if there is none."""
    from dvc.exceptions import NotDvcRepoError
    from dvc.repo import Repo

    try:
        return Repo(path)
    except NotDvcRepoError:
        fail("the work dir is not a DVC project (no `dvc init`)")


def assert_dvc_tracked(repo, path: str) -> None:
    """`path` is tracked with `dvc add` and its .dvc file records its current content."""
    from dvc.exceptions import OutputNotFoundError

    try:
        sources = [out for out in repo.find_outs_by_path(path) if out.stage.is_data_source]
    except OutputNotFoundError:
        sources = []
    if not sources:
        fail(f"{path} is not tracked with `dvc add` (no .dvc file for it)")
    changed = sources[0].status()
    if changed:
        fail(f"{path} changed since its .dvc file was written: {changed}")


def dvc_stage(repo, name: str, deps=(), outs=(), metrics=(), params=()):
    """The pipeline stage `name` of dvc.yaml, required to have at least these deps, outs,
    metrics files and params keys."""
    stages = {stage.addressing: stage for stage in repo.index.stages}
    stage = stages.get(name)
    if stage is None:
        fail(f"no stage `{name}` in dvc.yaml (stages: {sorted(stages)})")
    have_deps = {str(dep) for dep in stage.deps}
    have_params = set()
    for dep in stage.deps:
        if hasattr(dep, "params") and dep.params is not None:
            have_params |= set(dep.params)
    have_outs = {str(out): out for out in stage.outs}
    missing_deps = set(deps) - have_deps
    if missing_deps:
        fail(f"stage `{name}` does not depend on {sorted(missing_deps)} (deps: {sorted(have_deps)})")
    missing_outs = set(outs) | set(metrics)
    missing_outs -= set(have_outs)
    if missing_outs:
        fail(f"stage `{name}` does not output {sorted(missing_outs)} (outs: {sorted(have_outs)})")
    not_metrics = [m for m in metrics if not have_outs[m].metric]
    if not_metrics:
        fail(f"stage `{name}`: {not_metrics} should be metrics files (-M/-m or `metrics:`)")
    missing_params = set(params) - have_params
    if missing_params:
        fail(f"stage `{name}` does not declare the params {sorted(missing_params)} (params: {sorted(have_params)})")
    return stage


def assert_dvc_up_to_date(repo) -> None:
    """Every stage and .dvc file matches the workspace (`dvc status` is empty)."""
    status = repo.status()
    if status:
        fail(f"the DVC project is not up to date, `dvc status` reports: {status}")


def git_files(rev: str = "HEAD", path: str = ".") -> set[str]:
    """The paths committed at `rev` (a branch, tag or commit) of the git repository."""
    import git

    try:
        commit = git.Repo(path).commit(rev)
    except Exception as error:  # no repo, no such revision: all the same to a check
        fail(f"no git revision {rev!r}: {error}")
    return {blob.path for blob in commit.tree.traverse() if blob.type == "blob"}


def assert_never_in_git(*paths: str, repo_path: str = ".") -> None:
    """None of `paths` was committed to git, in any commit of any branch or tag."""
    import git

    repo = git.Repo(repo_path)
    for path in paths:
        if list(repo.iter_commits(all=True, paths=path)):
            fail(f"{path} was committed to git; DVC should version it, not git")


# ---------------------------------------------------------------- Optuna studies
# An Optuna task's program tunes a model with TPESampler(seed) and stores the study; the
# check reads it back through Optuna's own API (imported only when used).


def _suggest(trial, name: str, dist):
    from optuna.distributions import FloatDistribution, IntDistribution

    if isinstance(dist, FloatDistribution):
        return trial.suggest_float(name, dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, IntDistribution):
        return trial.suggest_int(name, dist.low, dist.high, log=dist.log, step=dist.step)
    return trial.suggest_categorical(name, dist.choices)


def tpe_replay(space: dict, order, seed: int, n_trials: int) -> list[dict]:
    """The parameters TPESampler(seed=seed) proposes for the first n_trials (at most 10)
    trials when the parameters of `space` are suggested in `order`."""
    import optuna

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(lambda t: [_suggest(t, n, space[n]) for n in order] and 0.0,
                   n_trials=min(n_trials, 10))  # startup trials: independent of the values
    return [t.params for t in study.trials]


def same_params(a, b: dict) -> bool:
    """`a` is a dict with the keys of `b` and its values (floats within 1e-9 relative)."""
    if not isinstance(a, dict) or set(a) != set(b):
        return False
    return all(
        math.isclose(a[k], b[k], rel_tol=1e-9) if isinstance(b[k], float) else a[k] == b[k]
        for k in b
    )


def printed_best_params(text: str) -> dict:
    """The dict of the first line `best_params: {...}` in `text`; fail() if there is none."""
    import ast

    for line in text.splitlines():
        if line.startswith("best_params:"):
            try:
                return ast.literal_eval(line.split(":", 1)[1].strip())
            except (ValueError, SyntaxError):
                fail(f"cannot read the best params from {line!r}")
    fail("the program printed no 'best_params: {...}' line")


def optuna_study(name: str, storage: str, *, n_trials: int, seed: int, direction: str, space: dict):
    """The study `name` in `storage`, required to hold exactly n_trials complete trials in
    `direction` ("maximize"/"minimize"), each searching `space` (name -> distribution),
    sampled by TPESampler(seed=seed) with the parameters suggested in any order."""
    import itertools

    import optuna
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.load_study(study_name=name, storage=storage)
    except Exception as exc:  # missing file, missing study: both mean no study was stored
        fail(f"cannot load study {name!r} from {storage}: {exc}")

    trials = sorted(study.trials, key=lambda t: t.number)
    if len(trials) != n_trials or any(t.state != TrialState.COMPLETE for t in trials):
        fail(f"expected {n_trials} complete trials, found "
             f"{[t.state.name for t in trials]}")
    if study.direction.name.lower() != direction:
        fail(f"study direction is {study.direction.name}, expected {direction}")
    for t in trials:
        if t.distributions != space:
            fail(f"trial {t.number} searched {t.distributions}, expected {space}")
    stored = [t.params for t in trials][:10]
    if not any(all(same_params(a, b) for a, b in zip(stored, tpe_replay(space, order, seed, n_trials)))
               for order in itertools.permutations(space)):
        fail(f"the sampled parameters are not those of TPESampler(seed={seed})")
    return study


def check_optuna_task(*, study: str, storage: str, n_trials: int, seed: int, direction: str, space: dict,
                      split, make_model, objective_value, test_scores) -> None:
    """The whole check of an Optuna task, given what is particular to it:
    split() -> X_train, X_test, y_train, y_test: the original program's split;
    make_model(params) -> an unfitted model; objective_value(params, X_train, y_train) -> the
    objective the study optimised; test_scores(model, X_test, y_test) -> {name: value} of
    the lines the program prints for the refit model.
    The program ran, kept its split (`n_train: N`), stored the study (see optuna_study),
    printed `best_params: {...}` equal to study.best_params, the best value is the
    objective of those params, and the printed test scores are the refit model's."""
    require_success()  # the program ran to the end, before anything else
    out = program_output()
    X_train, X_test, y_train, y_test = split()
    if score(out, "n_train") != len(X_train):
        fail(f"the training split changed: n_train is {score(out, 'n_train'):g}, "
             f"the original program's is {len(X_train)}")

    loaded = optuna_study(study, storage, n_trials=n_trials, seed=seed, direction=direction, space=space)

    best = printed_best_params(out)
    if not same_params(best, loaded.best_params):
        fail(f"printed best params {best} differ from study.best_params {loaded.best_params}")

    value = objective_value(loaded.best_params, X_train, y_train)
    if not math.isclose(value, loaded.best_value, rel_tol=1e-6, abs_tol=1e-9):
        fail(f"best trial value {loaded.best_value} is not the objective described "
             f"(recomputed {value})")
    final = make_model(loaded.best_params).fit(X_train, y_train)
    for name, expected in test_scores(final, X_test, y_test).items():
        printed = score(out, name)
        if not math.isclose(printed, expected, rel_tol=1e-6, abs_tol=1e-4):
            fail(f"printed {name} {printed} is not that of the model refit with the best "
                 f"params ({expected:.4f})")


# ---------------------------------------------------------------- ONNX exports
# An ONNX task's program exports a scikit-learn model; the check runs the file with
# onnxruntime and compares it with the model retrained (numpy, onnx and onnxruntime are
# imported only when used).


def onnx_outputs(path: str, X) -> list:
    """Run the exported model on X, in the dtype its single input declares."""
    import numpy as np
    import onnx
    import onnxruntime as ort

    if not os.path.isfile(path):
        fail(f"{path} was not written")
    try:
        onnx.checker.check_model(path)
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    except Exception as exc:  # any load error means the export is unusable
        fail(f"{path} is not a valid ONNX model: {exc}")
    inputs = sess.get_inputs()
    if len(inputs) != 1:
        fail(f"{path} has {len(inputs)} inputs, expected one feature matrix")
    dtype = {"tensor(float)": np.float32, "tensor(double)": np.float64}.get(inputs[0].type)
    if dtype is None:
        fail(f"{path} takes {inputs[0].type}, expected a float tensor")
    try:
        return sess.run(None, {inputs[0].name: X.astype(dtype)})
    except Exception as exc:
        fail(f"onnxruntime cannot run {path} on the test set: {exc}")


def assert_same_classifier(path: str, model, X) -> None:
    """The ONNX file predicts the labels of the fitted classifier `model` on X, and its
    probabilities within 1e-4 (a ZipMap output is read in model.classes_ order)."""
    import numpy as np

    outputs = onnx_outputs(path, X)
    if len(outputs) < 2:
        fail(f"{path} has no probability output")
    labels, proba = np.asarray(outputs[0]).ravel(), outputs[1]
    if isinstance(proba, list):  # ZipMap output: one {class: probability} dict per row
        proba = np.array([[row[c] for c in model.classes_] for row in proba])
    if not np.array_equal(labels, model.predict(X)):
        fail(f"{path} predicts other classes than the scikit-learn model")
    diff = np.abs(np.asarray(proba, dtype=float) - model.predict_proba(X)).max()
    if diff > 1e-4:
        fail(f"{path} probabilities differ from scikit-learn's by {diff:.2e} (> 1e-4)")


def assert_same_regressor(path: str, model, X) -> None:
    """The ONNX file predicts what the fitted regressor `model` predicts on X, within 1e-4
    relative (absolute below 1)."""
    import numpy as np

    got = np.asarray(onnx_outputs(path, X)[0], dtype=float).ravel()
    want = model.predict(X).ravel()
    if got.shape != want.shape:
        fail(f"{path} returned {got.shape[0]} predictions for {want.shape[0]} rows")
    rel = (np.abs(got - want) / np.maximum(np.abs(want), 1.0)).max()
    if rel > 1e-4:
        fail(f"{path} predictions differ from scikit-learn's by {rel:.2e} relative (> 1e-4)")


# ---------------------------------------------------------------- MLflow runs and registry
# Read back through mlflow's own MlflowClient (imported only when used).


def mlflow_file_store(root: str = "mlruns", hint: str = ""):
    """A MlflowClient on the file store ./root, also made mlflow's tracking URI (so
    `runs:/...` URIs load from it); fail() if there is none. `hint` follows the message."""
    # MLflow 3 refuses the file store unless this is set; it reads it when the store is made.
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    if not os.path.isdir(root):
        fail(f"no MLflow file store at ./{root}{hint}")
    import mlflow
    from mlflow import MlflowClient

    uri = "file:" + os.path.abspath(root)
    mlflow.set_tracking_uri(uri)
    return MlflowClient(tracking_uri=uri)


def mlflow_runs(client, experiment: str, where: str = "") -> list:
    """Every run of the experiment named `experiment`; fail() if there is no such experiment
    in the store (`where` names it in the message; default: the client's tracking URI)."""
    found = client.get_experiment_by_name(experiment)
    if found is None:
        fail(f"no experiment named {experiment!r} in {where or client.tracking_uri}")
    return client.search_runs([found.experiment_id])


def mlflow_single_run(experiment: str, root: str = "mlruns", hint: str = ""):
    """(client, run): the one run, FINISHED, of `experiment` in the file store ./root."""
    client = mlflow_file_store(root, hint)
    runs = mlflow_runs(client, experiment, f"./{root}")
    if len(runs) != 1:
        fail(f"expected one run in {experiment!r}, found {len(runs)}")
    run = runs[0]
    if run.info.status != "FINISHED":
        fail(f"the run is {run.info.status}, not FINISHED")
    return client, run


def assert_run_params(run, expected: dict) -> None:
    """The run logged every param of `expected`: a str value must be logged as that exact
    string, a number as a string of a number equal to it."""
    params = run.data.params
    for name, value in expected.items():
        if name not in params:
            fail(f"param {name!r} not logged (params: {sorted(params)})")
        if isinstance(value, str):
            same = params[name] == value
        else:
            try:
                same = math.isclose(float(params[name]), value)
            except ValueError:
                same = False
        if not same:
            fail(f"param {name} is {params[name]!r}, expected {value!r}")


def assert_run_metrics(run, expected: dict, abs_tol: float = 6e-5) -> None:
    """The run's last value of each metric of `expected` equals it within abs_tol (the
    printed scores have four decimals)."""
    metrics = run.data.metrics
    for name, value in expected.items():
        logged = metrics.get(name)
        if logged is None:
            fail(f"metric {name!r} not logged (metrics: {sorted(metrics)})")
        if not math.isclose(logged, value, abs_tol=abs_tol):
            fail(f"metric {name} is {logged}, the program printed {value}")


def assert_metric_history(client, run, metric: str, expected: list, abs_tol: float = 6e-5) -> None:
    """The run logged `metric` once per step of `expected`, a list of (step, value), with
    those steps and values (within abs_tol)."""
    history = sorted(client.get_metric_history(run.info.run_id, metric), key=lambda m: m.step)
    steps = [m.step for m in history]
    expected_steps = [int(step) for step, _ in expected]
    if steps != expected_steps:
        fail(f"metric {metric} has steps {steps}, expected one per epoch: {expected_steps}")
    for m, (_, value) in zip(history, expected):
        if not math.isclose(m.value, float(value), abs_tol=abs_tol):
            fail(f"{metric} at step {m.step} is {m.value}, the program printed {value}")


def mlflow_model(uri: str, flavor: str = "pyfunc", what: str = ""):
    """The model at `uri` (runs:/... or models:/...), loaded with mlflow.<flavor>.load_model
    in a separate process (see Remote); fail() saying `what` (default: the URI) cannot be
    loaded."""
    return load_artifact("mlflow", uri, flavor=flavor, what=what or uri)


def mlflow_sqlite_registry(path: str = "mlflow.db", hint: str = ""):
    """A MlflowClient whose tracking and registry store is the SQLite file ./path, also
    made mlflow's tracking URI (so `models:/...` URIs load from it); fail() if it is absent."""
    if not os.path.isfile(path):
        fail(f"no SQLite MLflow database at ./{path}{hint}")
    import mlflow
    from mlflow import MlflowClient

    db = "sqlite:///" + os.path.abspath(path)
    mlflow.set_tracking_uri(db)
    return MlflowClient(tracking_uri=db, registry_uri=db)


def registered_model(client, name: str):
    """The registered model `name`; fail() if the registry has none."""
    from mlflow.exceptions import MlflowException

    try:
        return client.get_registered_model(name)
    except MlflowException as exc:
        fail(f"no registered model {name!r} in the registry: {exc.message}")


def single_model_version(client, name: str, alias: str):
    """(registered model, version): `name` has exactly version 1, and `alias` points to it."""
    registered = registered_model(client, name)
    versions = [str(v.version) for v in client.search_model_versions(f"name='{name}'")]
    if versions != ["1"]:
        fail(f"expected exactly version 1 of {name!r}, found {versions}")
    if str(registered.aliases.get(alias)) != "1":
        fail(f"alias {alias!r} points to {registered.aliases.get(alias)!r}, expected version 1")
    return registered, client.get_model_version_by_alias(name, alias)


# ---------------------------------------------------------------- artefacts that run code when loaded
# Unpickling runs whatever the pickle says, so a program could ship a "model" that, loaded
# in the judge, rewrites the check's state. `load_artifact` loads it in a child process and
# returns a Remote: attribute reads and method calls go there, and only plain values and
# numpy arrays (np.save without pickles) come back. The child cannot read the judge's
# memory (the judge is non-dumpable) nor write its verdict; at worst it lies about the
# model, which the check then compares against the reference it retrains itself.

_LOADER = r"""
import base64, io, json, sys
import numpy as np

def encode(value):
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or type(value) in (bool, int, float, str):
        return {"value": value}
    if isinstance(value, np.ndarray) and value.dtype != object:
        buffer = io.BytesIO(); np.save(buffer, value, allow_pickle=False)
        return {"array": base64.b64encode(buffer.getvalue()).decode()}
    if hasattr(value, "to_numpy"):
        return encode(np.asarray(value.to_numpy()))
    if type(value) in (list, tuple) and all(x is None or type(x) in (bool, int, float, str) for x in value):
        return {"value": list(value)}
    handles.append(value)
    return {"handle": len(handles) - 1, "type": type(value).__name__}

def decode(value):
    if "array" in value:
        return np.load(io.BytesIO(base64.b64decode(value["array"])), allow_pickle=False)
    if "frame" in value:
        import pandas as pd
        return pd.DataFrame(decode(value["frame"]), columns=value["columns"])
    if "handle" in value:
        return handles[value["handle"]]
    return value["value"]

def load(request):
    kind, target = request["kind"], request["target"]
    if kind == "mlflow":
        import importlib, os
        os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
        if request.get("tracking_uri"):
            import mlflow; mlflow.set_tracking_uri(request["tracking_uri"])
        model = importlib.import_module("mlflow." + request["flavor"]).load_model(target)
        raw = getattr(model, "get_raw_model", None)  # a pyfunc around a scikit-learn model
        inner = raw() if raw else None
        return inner if type(inner).__module__.startswith("sklearn.") else model
    if kind == "joblib":
        import joblib; return joblib.load(target)
    import pickle
    with open(target, "rb") as handle:
        return pickle.load(handle)

def skops_bytes(value):
    # A scikit-learn object in skops's format, which the judge loads without running code.
    if not type(value).__module__.startswith("sklearn."):
        return None
    try:
        import skops.io
        return base64.b64encode(skops.io.dumps(value)).decode()
    except Exception:
        return None

handles = []
for line in sys.stdin:
    request = json.loads(line)
    try:
        op = request["op"]
        if op == "load":
            value = load(request)
            answer = encode(value)
            answer["skops"] = skops_bytes(value)
        else:
            target = handles[request["handle"]]
            if op == "getattr":
                answer = encode(getattr(target, request["name"]))
            elif op == "call":
                args = [decode(a) for a in request["args"]]
                kwargs = {k: decode(v) for k, v in request["kwargs"].items()}
                answer = encode(getattr(target, request["name"])(*args, **kwargs))
            elif op == "len":
                answer = encode(len(target))
            else:
                answer = encode(target[decode(request["key"])])
        reply = {"ok": answer}
    except BaseException as error:
        reply = {"error": type(error).__name__ + ": " + str(error)[:2000]}
    sys.stdout.write(json.dumps(reply) + "\n"); sys.stdout.flush()
"""

LOADER_TIMEOUT_S = 300.0


class _Loader:
    """The one child process that holds every loaded artefact of this check."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _LOADER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, close_fds=True, text=True,
        )

    def ask(self, request: dict, what: str, raw: bool = False):
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            fail(f"the process loading {what} died")
        ready, _, _ = select.select([self.process.stdout], [], [], LOADER_TIMEOUT_S)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            fail(f"the process loading {what} died or did not answer")
        try:
            reply = json.loads(line)
        except ValueError:
            fail(f"the process loading {what} answered garbage")
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["ok"] if raw else _decode(reply["ok"], what)


@functools.cache
def _loader() -> _Loader:
    return _Loader()


def _encode(value) -> dict:
    import numpy as np

    if isinstance(value, Remote):
        return {"handle": value._handle}
    if hasattr(value, "columns") and hasattr(value, "to_numpy"):  # a DataFrame
        return {"frame": _encode(np.asarray(value.to_numpy())), "columns": list(value.columns)}
    if isinstance(value, (np.ndarray, np.generic)) or (isinstance(value, list) and value and isinstance(value[0], list)):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        return {"array": base64.b64encode(buffer.getvalue()).decode()}
    return {"value": value}


def _decode(answer: dict, what: str):
    if "array" in answer:
        import numpy as np

        return np.load(io.BytesIO(base64.b64decode(answer["array"])), allow_pickle=False)
    if "handle" in answer:
        return Remote(answer["handle"], answer.get("type", "object"), what)
    return answer["value"]


class Remote:
    """An object living in the loader process: `model.predict(X)`, `model.n_neighbors`,
    `len(model.estimators_)` work as on the object itself, with plain results."""

    def __init__(self, handle: int, type_name: str, what: str) -> None:
        self._handle, self._type, self._what = handle, type_name, what

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            value = _loader().ask({"op": "getattr", "handle": self._handle, "name": name}, self._what)
        except RuntimeError as error:
            raise AttributeError(f"{self._what}: {error}") from None
        if isinstance(value, Remote):
            return _RemoteMember(self, name, value)
        return value

    def _call(self, name: str, args, kwargs):
        request = {"op": "call", "handle": self._handle, "name": name,
                   "args": [_encode(a) for a in args], "kwargs": {k: _encode(v) for k, v in kwargs.items()}}
        return _loader().ask(request, self._what)

    def __len__(self) -> int:
        return _loader().ask({"op": "len", "handle": self._handle}, self._what)

    def __getitem__(self, key):
        return _loader().ask({"op": "getitem", "handle": self._handle, "key": _encode(key)}, self._what)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"<{self._type} of {self._what}, in the loader process>"


class _RemoteMember(Remote):
    """An attribute that is an object: a method (call it) or a sub-object."""

    def __init__(self, owner: Remote, name: str, value: Remote) -> None:
        super().__init__(value._handle, value._type, value._what)
        self._owner, self._name = owner, name

    def __call__(self, *args, **kwargs):
        return self._owner._call(self._name, args, kwargs)


def load_artifact(kind: str, target: str, flavor: str = "pyfunc", what: str = ""):
    """Load `target` (a path, or an MLflow URI for kind "mlflow") with joblib, pickle or
    mlflow.<flavor>.load_model in the loader process; fail() if it cannot be loaded.
    A scikit-learn model comes back as itself, rebuilt from skops's format in the judge;
    anything else as a Remote."""
    what = what or target
    if kind != "mlflow" and not os.path.isfile(target):
        fail(f"{target} was not written")
    request = {"op": "load", "kind": kind, "target": target, "flavor": flavor}
    if kind == "mlflow":
        request["tracking_uri"] = _tracking_uri()
    try:
        answer = _loader().ask(request, what, raw=True)
    except RuntimeError as error:
        fail(f"cannot load {what}: {error}")
    if answer.get("skops"):
        return _from_skops(answer["skops"], what)
    value = _decode(answer, what)
    if not isinstance(value, Remote):
        fail(f"{what} holds a plain {type(value).__name__}, not a model")
    return value


def _from_skops(data: str, what: str):
    """The scikit-learn object itself, rebuilt by skops from plain state: only scikit-learn's
    own classes are instantiated, so its methods are scikit-learn's, whatever the pickle
    did in the loader. (Where skops is missing, the object stays a Remote.)"""
    import skops.io

    raw = base64.b64decode(data)
    types = skops.io.get_untrusted_types(data=raw)
    foreign = [t for t in types if not t.startswith("sklearn.")]
    if foreign:
        fail(f"{what} holds types other than scikit-learn's: {foreign}")
    try:
        return skops.io.loads(raw, trusted=types)
    except Exception as error:  # noqa: BLE001  state skops cannot rebuild: not a usable model
        fail(f"{what} cannot be rebuilt as a scikit-learn model: {type(error).__name__}: {error}")


def _tracking_uri() -> str:
    try:
        import mlflow

        return mlflow.get_tracking_uri()
    except Exception:  # noqa: BLE001  no mlflow here: the loader uses its default
        return ""


# ---------------------------------------------------------------- HumanEval: record and replay
# A HumanEval check calls the candidate function. The candidate runs in the program's own
# phase (the recorder, humaneval.py), which writes each call's arguments and result as plain
# data; the judge then runs the problem's check over those records, so no code of the
# candidate ever runs in the judge, and an object that claims to equal anything (`__eq__`
# always True) is not plain data and fails.

CALLS_FILE = ".benchrun-calls.json"


def plain(value):
    """`value` as JSON, keeping tuples, sets, dicts with any keys, bytes and floats exact;
    TypeError for anything that is not a plain value of an exact builtin type."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return {"float": repr(value)}
    if kind is list:
        return [plain(v) for v in value]
    if kind is tuple:
        return {"tuple": [plain(v) for v in value]}
    if kind in (set, frozenset):
        return {kind.__name__: sorted((plain(v) for v in value), key=json.dumps)}
    if kind is dict:
        return {"dict": [[plain(k), plain(v)] for k, v in value.items()]}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise TypeError(f"not a plain value: {kind.__name__}")


def unplain(value):
    if isinstance(value, list):
        return [unplain(v) for v in value]
    if not isinstance(value, dict):
        return value
    (tag, inner), = value.items()
    if tag == "float":
        return float(inner)
    if tag == "tuple":
        return tuple(unplain(v) for v in inner)
    if tag == "set":
        return {unplain(v) for v in inner}
    if tag == "frozenset":
        return frozenset(unplain(v) for v in inner)
    if tag == "dict":
        return {unplain(k): unplain(v) for k, v in inner}
    return bytes.fromhex(inner)


def humaneval_replay(prompt: str, test: str, entry_point: str, seed: int = 0) -> None:
    """Run the problem's `check(candidate)` with the calls the recorder wrote: each call
    must have the arguments recorded for it, and gets the recorded result."""
    import random

    try:
        with open(CALLS_FILE, encoding="utf-8") as handle:
            calls = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"the candidate's calls were not recorded ({error}): it did not run to the test")
    position = iter(range(len(calls) + 1))

    def candidate(*args, **kwargs):
        i = next(position)
        if i >= len(calls):
            fail(f"call {i + 1} of {entry_point} was never made by the candidate")
        call = calls[i]
        if json.dumps(plain([list(args), kwargs])) != json.dumps(call.get("args")):
            fail(f"call {i + 1} of {entry_point}: the candidate was called with other arguments")
        if "result" not in call:
            fail(f"call {i + 1} of {entry_point}: {call.get('error', 'the candidate gave no result')}")
        return unplain(call["result"])

    namespace: dict = {"__name__": "humaneval_prompt"}
    exec(compile(prompt, "prompt.py", "exec"), namespace)  # the problem's own helpers
    namespace[entry_point] = candidate  # as the recorder did
    exec(compile(test, "test.py", "exec"), namespace)
    random.seed(seed)  # as the recorder did: tests that draw random inputs draw the same
    namespace["check"](candidate)
    print("ok")
