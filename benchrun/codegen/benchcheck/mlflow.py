"""MLflow runs and registry, read back through mlflow's own MlflowClient (imported only
when used); models are loaded out of process (see artifacts.py)."""
from __future__ import annotations

import math
import os

from .artifacts import load_artifact
from .judge import fail


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
