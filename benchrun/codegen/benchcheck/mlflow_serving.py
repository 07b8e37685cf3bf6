"""Serving tasks whose model is an MLflow model: the model a run logged, read back through
MlflowClient, and the answers a server gave compared with the model's own outputs on the
very rows the judge's HTTP client sent (serving.py records them).

MLflow's scoring server answers `{"predictions": [...]}` with one item per row: a label
(a number or text), a regression value, or a row of class probabilities when the model
predicts them (`predict_proba` as its pyfunc method, or a custom model). So the served
items are compared by shape: text equal as text, numbers within a tolerance, lists item
by item. Every route that answers the same passes (MLflow's scoring server, its app run in
the program, or a Flask or FastAPI app that loads the model).
"""
from __future__ import annotations

import math
import statistics

from .judge import fail


def run_logged_model(client, run) -> str:
    """The URI of the one MLflow model `run` logged (MLflow 3's logged models, else a run
    artifact folder holding an MLmodel file); fail() if it logged none or several."""
    run_id = run.info.run_id
    found = client.search_logged_models(experiment_ids=[run.info.experiment_id],
                                        filter_string=f"source_run_id = '{run_id}'")
    uris = [f"models:/{model.model_id}" for model in found if str(model.status).endswith("READY")]
    if not uris:  # a model saved to a folder and logged as the run's artifacts
        uris = [f"runs:/{run_id}/{item.path}" for item in client.list_artifacts(run_id)
                if item.is_dir and any(f.path.endswith("/MLmodel") for f in client.list_artifacts(run_id, item.path))]
    if len(uris) != 1:
        fail(f"expected the run {run_id} to log one MLflow model, found {len(uris)}: {uris}")
    return uris[0]


def same_output(got, want, tolerance: float = 1e-6) -> bool:
    """`got` (an item of a JSON answer) is `want` (the model's): text equal as text,
    numbers within `tolerance` (relative or absolute), lists of the same length item by item."""
    if hasattr(want, "tolist"):
        want = want.tolist()
    if isinstance(want, (list, tuple)):
        return isinstance(got, list) and len(got) == len(want) and all(
            same_output(g, w, tolerance) for g, w in zip(got, want))
    if isinstance(want, str):
        return isinstance(got, str) and got == want
    if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got):
        return False
    return math.isclose(float(got), float(want), rel_tol=tolerance, abs_tol=tolerance)


def as_list(values) -> list:
    """A model's outputs (an array, a Series, a one-column DataFrame, a Remote of one) as a
    list with one item per row."""
    if hasattr(values, "columns") and len(values.columns) == 1:
        values = values.iloc[:, 0]
    values = values.tolist() if hasattr(values, "tolist") else list(values)
    return list(values)


def assert_same_outputs(got: list, want: list, what: str, rows: list | None = None, tolerance: float = 1e-6) -> None:
    """Each item of `got` is the same output as `want`'s (same_output); fail() naming
    `what` and the first row that differs."""
    if len(got) != len(want):
        fail(f"{what} gave {len(got)} outputs for {len(want)} rows")
    wrong = [i for i, (g, w) in enumerate(zip(got, want)) if not same_output(g, w, tolerance)]
    if wrong:
        i = wrong[0]
        row = f" (row {rows[i]})" if rows is not None else ""
        fail(f"{what} differ from the trained model's for {len(wrong)} of {len(want)} rows{row}: "
             f"got {str(got[i])[:200]}, expected {str(want[i])[:200]}")


def assert_serves_outputs(expected, command: str | None = None, answer: str = "predictions",
                          tolerance: float = 1e-6) -> list:
    """The server that `command` (default: the task's one HTTP client command) exercised
    answered, for every row sent, what `expected(rows)` gives (a list, one item per row, of
    labels, text, numbers or rows of probabilities; the rows as a float array); measures
    latency_ms (the median request) and latency_ms_max. Returns the rows."""
    import numpy as np

    from .judge import measure
    from .serving import served_predictions

    rows, got, times = served_predictions(command, answer)
    want = as_list(expected(np.asarray(rows, dtype=float)))
    assert_same_outputs(got, want, f"the served {answer!r}", rows, tolerance)
    measure("latency_ms", statistics.median(times), "ms")
    measure("latency_ms_max", max(times), "ms")
    return rows
