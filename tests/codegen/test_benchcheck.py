"""benchcheck, the helper package every check.py imports, exercised the way a sample
uses it: the program run, then judged (codegen.judging), against the real libraries.

Where a task venv exists (/opt/taskenv, or $BENCHRUN_TASKENV) samples run on the host
with it; elsewhere (CI, a fresh install) they run in the sandbox image, which has the
same libraries (mlflow, dvc, wandb, optuna, onnx), rather than installing them twice."""
from __future__ import annotations

import subprocess
from pathlib import Path

import attrs
import pytest
from task_fixtures import TOML

from benchrun.codegen import benchcheck
from benchrun.codegen.judging import Judge
from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate_local import TASKENV
from benchrun.sandboxes.base import Limits

LIMITS = Limits(timeout_s=300, memory_bytes=2 << 30)  # generous: the image path shares a loaded CI machine


def _has_taskenv() -> bool:
    return Path(TASKENV, "bin", "python3").exists()


def _image_ready() -> str | None:
    """None when the Docker engine answers and has the sandbox image; else why not."""
    from benchrun.sandboxes import SandboxUnavailable, image

    try:
        client = image.connect()
    except SandboxUnavailable as error:
        return f"no Docker engine: {error}"
    try:
        return None if image.find_image(client, image.default_image()) else f"no image {image.default_image()}"
    finally:
        client.close()


IMAGE_MISSING = None if _has_taskenv() else _image_ready()


# Runs a sample with the real libraries: the task venv on the host, else the sandbox image
# (then the tests that run samples use docker_client, and so are in the docker tier).
if _has_taskenv():
    @pytest.fixture(scope="module", name="host_runner")
    def _taskenv_runner():
        from benchrun.codegen.validate_local import HostRunner

        return HostRunner()
else:
    @pytest.fixture(scope="module", name="host_runner")
    def _image_runner(docker_client):
        from benchrun.grammar.spec import SandboxSpec
        from benchrun.sandboxes import open_sandbox

        with open_sandbox(SandboxSpec(backend="docker", timeout_s=60.0), parallelism=1) as sandbox:
            yield sandbox


@pytest.mark.parametrize(
    "text, expected",
    [
        ("accuracy: 0.9533\n", 0.9533),
        ("accuracy=0.5", 0.5),
        ("epoch 1 accuracy: 0.1\nepoch 2 accuracy: 0.2\n", 0.2),  # the last one counts
        ("test Accuracy : 1e-3", 0.001),
        ("rmse: -12.5 (lower is better)", -12.5),
        ("accuracy: nan", float("nan")),
    ],
)
def test_score_parses_the_last_named_value(text, expected):
    value = benchcheck.score(text, "accuracy" if "rmse" not in text else "rmse")
    assert value == expected or (value != value and expected != expected)


def test_score_does_not_match_longer_names(capsys):
    with pytest.raises(SystemExit) as exited:
        benchcheck.score("val_accuracy: 0.9\nmy.accuracy: 0.8", "accuracy")
    assert exited.value.code == 1
    assert "CHECK FAILED: no 'accuracy: <number>' line" in capsys.readouterr().err


@attrs.frozen
class Checked:
    """What a test reads of a judged sample: the check's run, and the verdict."""

    ok: bool
    exit_code: int | None
    stdout: str
    stderr: str


def _run(make_task, host_runner, program: str, check: str) -> Checked:
    # The fixture task's 30 s timeout is too short for MLflow's first start on a loaded machine.
    task = load_task(make_task(check=check, toml=TOML.replace("timeout = 30", "timeout = 300")))
    judgement = Judge(host_runner, LIMITS)(task, program)
    run = judgement.check or judgement.program
    return Checked(judgement.passed, run.exit_code, run.stdout, run.stderr)


def test_a_sample_sees_its_program_output_and_the_original(make_task, host_runner):
    check = """\
        from benchcheck import program_rc, program_output, program_errors, original_output, entry
        assert program_rc() == 3, program_rc()
        assert program_output() == "score: 0.5\\n", program_output()
        assert "boom" in program_errors()
        assert original_output() == "score: 0.75\\n"
        assert entry() == "main.py"
        import os
        assert not [n for n in os.listdir(".") if n.startswith(".original-run")]  # scratch copy removed
        print("checked")
    """
    program = 'import sys\nprint("score: 0.5")\nprint("boom", file=sys.stderr)\nsys.exit(3)\n'
    result = _run(make_task, host_runner, program, check)
    assert result.ok, result.stderr
    assert result.stdout == "checked\n"


def test_assert_same_score_fails_with_both_values(make_task, host_runner):
    check = "from benchcheck import assert_same_score\nassert_same_score('score')\n"
    changed = _run(make_task, host_runner, 'print("score: 0.7")\n', check)
    assert changed.exit_code == 1
    assert "CHECK FAILED: score changed: the original program prints 0.75, this one 0.7" in changed.stderr
    same = _run(make_task, host_runner, 'print("score: 0.7500000001")\n', check)
    assert same.ok, same.stderr


def test_require_success_quotes_the_programs_traceback(make_task, host_runner):
    check = "from benchcheck import require_success\nrequire_success()\n"
    result = _run(make_task, host_runner, "raise ValueError('bad input shape')\n", check)
    assert result.exit_code == 1
    assert "CHECK FAILED: the program exited with code 1" in result.stderr
    assert "ValueError: bad input shape" in result.stderr


def _taskenv_has(*modules: str) -> bool:
    python = Path(TASKENV, "bin", "python3")
    probe = "import " + ", ".join(modules)
    return python.exists() and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def _libraries(*modules: str) -> bool:
    """The modules are in the task venv, or (no venv) the sandbox image is there: its
    requirements are the corpus's libraries, and a missing one fails the test instead."""
    return _taskenv_has(*modules) if _has_taskenv() else IMAGE_MISSING is None


needs_wandb = pytest.mark.skipif(not _libraries("wandb"), reason=f"no wandb in the task venv {TASKENV} and {IMAGE_MISSING}")

TWO_WANDB_RUNS = """\
import wandb
for name in ("first", "second"):
    run = wandb.init(mode="offline", project="demo", name=name, group="sweep", job_type="train",
                     tags=["a", "b"], config={"lr": 0.1, "layers": [8]})
    run.config.update({"epochs": 2})
    for step in range(2):
        run.log({"loss": 1.0 / (step + 1)})
    run.summary["best"] = 0.25
    run.finish()
"""


@needs_wandb
def test_wandb_offline_runs_reads_back_what_a_real_run_logged(make_task, host_runner):
    check = """\
        from benchcheck import wandb_offline_run, wandb_offline_runs
        runs = sorted(wandb_offline_runs(), key=lambda run: run["name"])
        assert [run["name"] for run in runs] == ["first", "second"], runs
        run = runs[0]
        assert (run["project"], run["group"], run["job_type"]) == ("demo", "sweep", "train"), run
        assert sorted(run["tags"]) == ["a", "b"], run["tags"]
        assert run["config"] == {"lr": 0.1, "layers": [8], "epochs": 2}, run["config"]
        assert [row["loss"] for row in run["history"]] == [1.0, 0.5], run["history"]
        assert [row["_step"] for row in run["history"]] == [0, 1], run["history"]
        assert run["summary"]["best"] == 0.25 and run["summary"]["loss"] == 0.5, run["summary"]
        assert run["exit_code"] == 0, run["exit_code"]
        print("read", flush=True)
        wandb_offline_run()  # two runs where the check wants one
    """
    result = _run(make_task, host_runner, TWO_WANDB_RUNS, check)
    assert result.stdout == "read\n", result.stderr
    assert result.exit_code == 1
    assert "CHECK FAILED: expected one offline W&B run in ./wandb, found 2" in result.stderr


@needs_wandb
def test_wandb_offline_run_fails_on_a_log_without_a_run_record(make_task, host_runner):
    check = """\
        import os
        from benchcheck import wandb_offline_run, wandb_offline_runs
        os.makedirs("wandb/offline-run-1-x")
        with open("wandb/offline-run-1-x/run-x.wandb", "wb") as log:
            log.write(b":W&B" + bytes(3))  # the file header alone: no record yet
        [run] = wandb_offline_runs()
        assert run["exit_code"] is None and run["history"] == [], run
        wandb_offline_run()
    """
    result = _run(make_task, host_runner, "print('score: 1')\n", check)
    assert result.exit_code == 1
    assert "CHECK FAILED: the W&B run log in wandb/offline-run-1-x has no run record" in result.stderr


def test_wandb_offline_run_fails_when_there_is_no_run(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        benchcheck.wandb_offline_run(str(tmp_path / "wandb"))
    assert exited.value.code == 1
    assert f"CHECK FAILED: expected one offline W&B run in {tmp_path / 'wandb'}, found 0" in capsys.readouterr().err


@needs_wandb
def test_wandb_offline_runs_reads_past_zero_padding(make_task, host_runner):
    check = """\
        import os
        from wandb.proto import wandb_internal_pb2
        from benchcheck import wandb_offline_run
        record = wandb_internal_pb2.Record()
        record.run.run_id, record.run.project = "x", "demo"
        payload = record.SerializeToString()
        os.makedirs("wandb/offline-run-1-x")
        with open("wandb/offline-run-1-x/run-x.wandb", "wb") as log:
            log.write(b":W&B" + bytes(3) + bytes(7))  # the file header, then an empty zero chunk
            log.write(bytes(4) + len(payload).to_bytes(2, "little") + bytes([1]) + payload)
        run = wandb_offline_run()
        assert (run["id"], run["project"]) == ("x", "demo"), run
        print("read")
    """
    result = _run(make_task, host_runner, "print('score: 1')\n", check)
    assert result.stdout == "read\n", result.stderr


WANDB_ARTIFACTS = """\
import wandb
with open("matrix.csv", "w") as handle:
    handle.write("1,2\\n3,4\\n")
run = wandb.init(mode="offline", project="demo")
artifact = wandb.Artifact("scores", type="evaluation")
artifact.add_file("matrix.csv")
run.log_artifact(artifact)
run.log_artifact("matrix.csv", name="by-path", type="table")
built = wandb.Artifact("never-logged", type="evaluation")
built.add_file("matrix.csv")
run.finish()
"""


@needs_wandb
def test_wandb_offline_artifacts_lists_what_a_real_run_logged_with_digests(make_task, host_runner):
    check = """\
        import base64, hashlib
        from benchcheck import wandb_offline_artifacts, wandb_offline_run
        digest = base64.b64encode(hashlib.md5(open("matrix.csv", "rb").read()).digest()).decode()
        artifacts = wandb_offline_artifacts(wandb_offline_run())
        assert artifacts == [
            {"name": "scores", "type": "evaluation", "files": {"matrix.csv": digest}},
            {"name": "by-path", "type": "table", "files": {"matrix.csv": digest}},
        ], artifacts
        print("read")
    """
    result = _run(make_task, host_runner, WANDB_ARTIFACTS, check)
    assert result.stdout == "read\n", result.stderr


# ---------------------------------------------------------------- Optuna

def test_printed_best_params_reads_the_dict_line(capsys):
    assert benchcheck.printed_best_params("n_train: 3\nbest_params: {'C': 0.5, 'kernel': None}\n") == {
        "C": 0.5, "kernel": None}
    with pytest.raises(SystemExit):
        benchcheck.printed_best_params("best_params: C=0.5\n")
    assert "cannot read the best params from 'best_params: C=0.5'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        benchcheck.printed_best_params("score: 1\n")
    assert "the program printed no 'best_params: {...}' line" in capsys.readouterr().err


def test_same_params_compares_floats_within_1e_9_and_the_rest_exactly():
    assert benchcheck.same_params({"C": 0.1 + 1e-12, "k": 3}, {"C": 0.1, "k": 3})
    assert not benchcheck.same_params({"C": 0.1 + 1e-6, "k": 3}, {"C": 0.1, "k": 3})
    assert not benchcheck.same_params({"C": 0.1}, {"C": 0.1, "k": 3})
    assert not benchcheck.same_params("{'C': 0.1}", {"C": 0.1})


needs_optuna = pytest.mark.skipif(not _libraries("optuna", "sklearn"), reason=f"no optuna in the task venv {TASKENV} and {IMAGE_MISSING}")

# A small real study, as an Optuna task's reference writes it; SEED is filled in per test.
OPTUNA_PROGRAM = """\
import numpy as np
import optuna
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)

def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))

def objective(trial):
    alpha = trial.suggest_float("alpha", 1e-3, 10.0, log=True)
    return rmse(Ridge(alpha=alpha).fit(X_tr, y_tr), X_val, y_val)

study = optuna.create_study(study_name="demo", storage="sqlite:///demo.db", direction="minimize",
                            sampler=optuna.samplers.TPESampler(seed=SEED))
study.optimize(objective, n_trials=3)
print(f"n_train: {len(X_train)}")
print(f"best_params: {study.best_params}")
print(f"rmse: {rmse(Ridge(**study.best_params).fit(X_train, y_train), X_test, y_test):.4f}")
"""

OPTUNA_CHECK = """\
import numpy as np
from optuna.distributions import FloatDistribution
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from benchcheck import check_optuna_task

def split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=0)

def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))

def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
    return rmse(Ridge(**params).fit(X_tr, y_tr), X_val, y_val)

check_optuna_task(
    study="demo", storage="sqlite:///demo.db", n_trials=3, seed=0, direction="minimize",
    space={"alpha": FloatDistribution(1e-3, 10.0, log=True)},
    split=split, make_model=lambda params: Ridge(**params), objective_value=objective_value,
    test_scores=lambda model, X, y: {"rmse": rmse(model, X, y)},
)
print("ok")
"""


@needs_optuna
def test_check_optuna_task_passes_the_study_the_task_asks_for(make_task, host_runner):
    result = _run(make_task, host_runner, OPTUNA_PROGRAM.replace("SEED", "0"), OPTUNA_CHECK)
    assert result.ok, result.stderr
    assert result.stdout == "ok\n"


@needs_optuna
def test_check_optuna_task_fails_a_study_sampled_with_another_seed(make_task, host_runner):
    result = _run(make_task, host_runner, OPTUNA_PROGRAM.replace("SEED", "1"), OPTUNA_CHECK)
    assert result.exit_code == 1
    assert "CHECK FAILED: the sampled parameters are not those of TPESampler(seed=0)" in result.stderr


@needs_optuna
def test_check_optuna_task_fails_a_printed_score_not_of_the_refit_model(make_task, host_runner):
    program = OPTUNA_PROGRAM.replace("SEED", "0").replace("Ridge(**study.best_params)", "Ridge(alpha=100.0)")
    result = _run(make_task, host_runner, program, OPTUNA_CHECK)
    assert result.exit_code == 1
    assert "CHECK FAILED: printed rmse" in result.stderr
    assert "is not that of the model refit with the best params" in result.stderr


# ---------------------------------------------------------------- ONNX

needs_onnx = pytest.mark.skipif(
    not _libraries("onnx", "onnxruntime", "skl2onnx", "sklearn"), reason=f"no onnx/skl2onnx in the task venv {TASKENV} and {IMAGE_MISSING}"
)

# Exports a classifier (with ZipMap, the skl2onnx default) and a regressor in float32.
ONNX_PROGRAM = """\
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge

X, y = load_iris(return_X_y=True)
with open("clf.onnx", "wb") as f:
    f.write(to_onnx(LogisticRegression(max_iter=500).fit(X, y), X[:1].astype("float32")).SerializeToString())
X, y = load_diabetes(return_X_y=True)
with open("reg.onnx", "wb") as f:
    f.write(to_onnx(Ridge(alpha=1.0).fit(X, y), X[:1].astype("float32")).SerializeToString())
print("score: 1")
"""

ONNX_MODELS = """\
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from benchcheck import assert_same_classifier, assert_same_regressor, onnx_outputs
Xc, yc = load_iris(return_X_y=True)
Xr, yr = load_diabetes(return_X_y=True)
"""


@needs_onnx
def test_onnx_helpers_accept_the_exported_models_and_need_the_file(make_task, host_runner):
    check = ONNX_MODELS + """\
assert_same_classifier("clf.onnx", LogisticRegression(max_iter=500).fit(Xc, yc), Xc)
assert_same_regressor("reg.onnx", Ridge(alpha=1.0).fit(Xr, yr), Xr)
assert len(onnx_outputs("clf.onnx", Xc)[0]) == len(Xc)
print("same", flush=True)
onnx_outputs("missing.onnx", Xc)
"""
    result = _run(make_task, host_runner, ONNX_PROGRAM, check)
    assert result.stdout == "same\n", result.stderr
    assert result.exit_code == 1
    assert "CHECK FAILED: missing.onnx was not written" in result.stderr


@needs_onnx
@pytest.mark.parametrize(
    "call, message",
    [
        ('assert_same_classifier("clf.onnx", LogisticRegression(C=1e-3, max_iter=500).fit(Xc, yc), Xc)',
         "CHECK FAILED: clf.onnx predicts other classes than the scikit-learn model"),
        ('assert_same_regressor("reg.onnx", Ridge(alpha=100.0).fit(Xr, yr), Xr)',
         "CHECK FAILED: reg.onnx predictions differ from scikit-learn's by"),
    ],
)
def test_onnx_helpers_reject_a_file_of_another_model(make_task, host_runner, call, message):
    result = _run(make_task, host_runner, ONNX_PROGRAM, ONNX_MODELS + call + "\n")
    assert result.exit_code == 1
    assert message in result.stderr


# ---------------------------------------------------------------- MLflow

needs_mlflow = pytest.mark.skipif(not _libraries("mlflow", "sklearn"), reason=f"no mlflow in the task venv {TASKENV} and {IMAGE_MISSING}")


def test_mlflow_stores_must_exist(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        benchcheck.mlflow_file_store(hint=" (the default of --tracking-uri)")
    assert "CHECK FAILED: no MLflow file store at ./mlruns (the default of --tracking-uri)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        benchcheck.mlflow_sqlite_registry()
    assert "CHECK FAILED: no SQLite MLflow database at ./mlflow.db" in capsys.readouterr().err


MLFLOW_TRACKING_PROGRAM = """\
import os
os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
import mlflow
mlflow.set_tracking_uri("file:" + os.path.abspath("mlruns"))
mlflow.set_experiment("demo")
with mlflow.start_run():
    mlflow.log_params({"C": 0.5, "kernel": "rbf"})
    for step, loss in enumerate([0.5, 0.25]):
        mlflow.log_metric("loss", loss, step=step)
    mlflow.log_metric("accuracy", 0.9)
print("score: 1")
"""


@needs_mlflow
def test_mlflow_run_helpers_read_back_a_real_run(make_task, host_runner):
    check = """\
        from benchcheck import (
            assert_metric_history, assert_run_metrics, assert_run_params, fail, mlflow_runs, mlflow_single_run,
        )
        client, run = mlflow_single_run("demo")
        assert_run_params(run, {"C": 0.5, "kernel": "rbf"})
        assert_run_metrics(run, {"accuracy": 0.90003})
        assert_metric_history(client, run, "loss", [("0", "0.5"), ("1", "0.25")])
        for call in (lambda: mlflow_runs(client, "other", "./mlruns"),
                     lambda: assert_run_metrics(run, {"accuracy": 0.9001}),
                     lambda: assert_metric_history(client, run, "loss", [(0, 0.5), (1, 0.25), (2, 0.1)])):
            try:
                call()
            except SystemExit:
                pass
            else:
                fail("a wrong expectation passed")
        print("read", flush=True)
        assert_run_params(run, {"C": "0.50"})  # logged as "0.5": a str must be the same string
    """
    result = _run(make_task, host_runner, MLFLOW_TRACKING_PROGRAM, check)
    assert result.stdout == "read\n", result.stderr
    assert result.exit_code == 1
    err = result.stderr
    assert "CHECK FAILED: no experiment named 'other' in ./mlruns" in err
    assert "CHECK FAILED: metric accuracy is 0.9, the program printed 0.9001" in err
    assert "CHECK FAILED: metric loss has steps [0, 1], expected one per epoch: [0, 1, 2]" in err
    assert err.rstrip().endswith("CHECK FAILED: param C is '0.5', expected '0.50'")


MLFLOW_REGISTRY_PROGRAM = """\
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

mlflow.set_tracking_uri("sqlite:///mlflow.db")
X, y = load_iris(return_X_y=True)
with mlflow.start_run():
    mlflow.sklearn.log_model(LogisticRegression(max_iter=500).fit(X, y), name="model",
                             registered_model_name="demo")
MlflowClient().set_registered_model_alias("demo", "champion", 1)
print("score: 1")
"""


@needs_mlflow
def test_mlflow_registry_helpers_read_back_a_registered_version(make_task, host_runner):
    check = """\
        import numpy as np
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from benchcheck import mlflow_model, mlflow_sqlite_registry, registered_model, single_model_version
        client = mlflow_sqlite_registry()
        registered, version = single_model_version(client, "demo", "champion")
        assert (registered.name, str(version.version)) == ("demo", "1"), (registered, version)
        model = mlflow_model("models:/demo@champion", "sklearn")
        X, y = load_iris(return_X_y=True)
        assert np.array_equal(model.predict(X), LogisticRegression(max_iter=500).fit(X, y).predict(X))
        print("read", flush=True)
        registered_model(client, "other")
    """
    result = _run(make_task, host_runner, MLFLOW_REGISTRY_PROGRAM, check)
    assert result.stdout == "read\n", result.stderr
    assert result.exit_code == 1
    assert "CHECK FAILED: no registered model 'other' in the registry" in result.stderr
