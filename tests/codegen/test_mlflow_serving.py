"""benchcheck.mlflow_serving: the served answers of an MLflow-shaped server compared with a
model's outputs (labels, text, numbers, rows of probabilities) over a recorded HTTP client
run, and the one model a real MLflow run logged, found through MlflowClient."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchrun.codegen.benchcheck import judge
from benchrun.codegen.benchcheck.mlflow_serving import (
    as_list,
    assert_same_outputs,
    assert_serves_outputs,
    run_logged_model,
    same_output,
)
from benchrun.codegen.benchcheck.serving import RECORD_MARK

COMMAND = ('python3 -I -c "$BENCHRUN_HTTP_CLIENT" --start "python3 train.py serve" --port 5001 '
           """--route /invocations --body '{"inputs": "$ROWS"}' --dataset iris""")
ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]


def record(answers, status=200, ms=(3.0, 5.0)):
    """The client's record line: two requests (rows 0-1, row 2) answered with `answers`."""
    requests = [{"method": "POST", "route": "/invocations", "rows": group, "single": False, "status": status,
                 "body": json.dumps({"predictions": [answers[i] for i in group]}), "ms": took, "error": None}
                for group, took in zip(([0, 1], [2]), ms)]
    return RECORD_MARK + " " + json.dumps({"rows": ROWS, "requests": requests, "log": "server log"})


@pytest.fixture
def served(monkeypatch):
    """Sets the judge's record of the task's one client command."""
    def serve(answers, **kwargs):
        monkeypatch.setitem(judge._JUDGE, "after", [COMMAND])
        monkeypatch.setitem(judge._JUDGE, "after_runs", [{"rc": 0, "stdout": record(answers, **kwargs), "stderr": ""}])
        monkeypatch.setattr(judge, "_MEASURES", [])
    return serve


def test_same_output_compares_text_numbers_and_rows():
    assert same_output("barolo", "barolo") and not same_output("barolo", "barbera")
    assert not same_output(0, "0") and not same_output("0", 0)  # text is not a number, nor the reverse
    assert same_output(2, 2) and same_output(2.0, 2) and not same_output(True, 1)
    assert same_output(151.2000001, 151.2) and not same_output(151.3, 151.2)
    assert same_output([0.25, 0.75], np.array([0.25, 0.75])) and not same_output([0.75, 0.25], [0.25, 0.75])
    assert not same_output([0.25], [0.25, 0.75]) and not same_output(1, [1])
    assert not same_output(float("nan"), 1.0) and not same_output(None, 1)


def test_as_list_flattens_a_one_column_frame():
    pd = pytest.importorskip("pandas")
    assert as_list(np.array([1, 2])) == [1, 2]
    assert as_list(pd.DataFrame({"p": [0.5, 0.1]})) == [0.5, 0.1]
    assert as_list(np.array([[0.1, 0.9]])) == [[0.1, 0.9]]


def test_assert_same_outputs_names_the_first_row_that_differs(capsys):
    assert_same_outputs(["a", "b"], ["a", "b"], "names")
    with pytest.raises(SystemExit):
        assert_same_outputs(["a", "c"], ["a", "b"], "the served names", rows=[[1.0], [2.0]])
    assert "1 of 2 rows (row [2.0])" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        assert_same_outputs(["a"], ["a", "b"], "names")
    assert "1 outputs for 2 rows" in capsys.readouterr().err


def test_assert_serves_outputs_compares_every_row_sent_and_measures_latency(served):
    expected = [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]]
    served(expected)
    rows = assert_serves_outputs(lambda X: [expected[ROWS.index(row)] for row in X.tolist()])
    assert rows == ROWS
    assert {m["name"]: m["value"] for m in judge._MEASURES} == {"latency_ms": 4.0, "latency_ms_max": 5.0}


def test_assert_serves_outputs_fails_on_another_models_answers(served, capsys):
    served(["setosa", "virginica", "setosa"])
    with pytest.raises(SystemExit):
        assert_serves_outputs(lambda X: ["setosa", "virginica", "versicolor"])
    assert "1 of 3 rows" in capsys.readouterr().err


def test_assert_serves_outputs_fails_on_a_refused_request(served, capsys):
    served([0, 1, 2], status=400)
    with pytest.raises(SystemExit):
        assert_serves_outputs(lambda X: [0, 1, 2])
    assert "HTTP 400" in capsys.readouterr().err


def test_run_logged_model_finds_the_one_model_a_real_run_logged(tmp_path, monkeypatch, capsys):
    pytest.importorskip("mlflow")
    import mlflow
    from sklearn.linear_model import LogisticRegression

    from benchrun.codegen.benchcheck import mlflow_file_store

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    from mlflow.tracking._tracking_service import utils

    # mlflow_file_store makes the store mlflow's tracking URI (and its environment
    # variable): both are put back as they were after the test.
    monkeypatch.setattr(utils, "_tracking_uri", utils._tracking_uri)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    (tmp_path / "mlruns").mkdir()
    client = mlflow_file_store(root=str(tmp_path / "mlruns"))
    experiment = client.create_experiment("served")
    model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    with mlflow.start_run(experiment_id=experiment) as logged:
        info = mlflow.sklearn.log_model(model, name="model")
    with mlflow.start_run(experiment_id=experiment) as empty:
        mlflow.log_param("C", 1.0)
    assert run_logged_model(client, client.get_run(logged.info.run_id)) == f"models:/{info.model_id}"
    with pytest.raises(SystemExit):
        run_logged_model(client, client.get_run(empty.info.run_id))
    assert "found 0" in capsys.readouterr().err
