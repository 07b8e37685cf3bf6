"""The task folder format: loading, clear errors, digests, and how a sample's files look."""
from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest
from task_fixtures import TOML

from benchrun.codegen.sources import list_task_ids, load_paths, load_tasks
from benchrun.codegen.spec import TaskSource
from benchrun.codegen.tasks import (
    BENCHCHECK_FILES,
    FUNCTIONALITIES,
    KINDS,
    RUN_ENV,
    TaskConfig,
    TaskError,
    after_commands,
    check_request,
    load_task,
    program_command,
    program_files,
    read_config,
)
from benchrun.grammar.spec import Loc


def test_load_task_reads_every_part(make_task):
    folder = make_task(inputs={"main.py": "print(1)\n", "helper.py": "X = 1\n"})
    task = load_task(folder)
    assert task.id == "suite/demo"
    assert (task.kind, task.functionality, task.components) == ("inline", "experiment_tracking", ("json",))
    assert task.entry == "main.py" and task.timeout == 30.0
    assert task.inputs == {"helper.py": "X = 1\n", "main.py": "print(1)\n"}
    assert "result.json" in task.reference["main.py"]
    assert "assert_same_score" in task.checks and task.docs == "# docs\n"
    assert task.instruction == "Also write the score to result.json."
    assert task.path == str(folder.resolve()) and len(task.digest) == 64


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: (f / "task.toml").unlink(), "missing task.toml"),
        (lambda f: (f / "check.py").unlink(), "missing check.py"),
        (lambda f: (f / "input" / "main.py").unlink(), "missing the entry file 'main.py'"),
        (lambda f: (f / "reference" / "main.py").unlink(), "missing the entry file 'main.py'"),
        (lambda f: shutil.rmtree(f / "reference"), "missing folder"),
        (lambda f: _toml(f, 'kind = "inline"', 'kind = "rewrite"'), "kind: must be one of inline, translate (got 'rewrite')"),
        (lambda f: _toml(f, '"experiment_tracking"', '"tracking"'), "functionality: must be one of"),
        (lambda f: _toml(f, 'entry = "main.py"\n', ""), "entry: missing (a required key)"),
        (lambda f: _toml(f, "timeout = 30", "timeout = -1"), "timeout: must be a positive number of seconds (got -1)"),
        (lambda f: _toml(f, "timeout = 30", "timout = 30"), "timout: unknown key (did you mean 'timeout'?)"),
        (lambda f: _toml(f, 'components = ["json"]', "components = []"), "components: must be a non-empty list"),
        (lambda f: _toml(f, 'kind = "inline"', 'kind = "translate"'), "kind: translate goes with functionality translation"),
        (lambda f: _toml(f, 'kind = "inline"', 'id = "other/name"\nkind = "inline"'), "id: 'other/name' does not match the folder"),
        (lambda f: _toml(f, "timeout = 30", "timeout = "), "invalid TOML"),
        (lambda f: _toml(f, "timeout = 30", 'timeout = 30\nafter = "python3 main.py"'), "after: must be a list"),
        (lambda f: _toml(f, "timeout = 30", 'timeout = 30\nafter = [""]'), "after: must be a list"),
        (lambda f: _toml(f, "timeout = 30", 'timeout = 30\nafter = ["a", "a"]'), "after: must be a list"),
    ],
)
def test_load_task_errors_name_the_path_and_the_problem(make_task, change, message):
    folder = make_task()
    change(folder)
    with pytest.raises(TaskError) as raised:
        load_task(folder)
    assert message in str(raised.value)
    assert str(folder.resolve()) in str(raised.value)


def _toml(folder: Path, old: str, new: str) -> None:
    path = folder / "task.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_every_problem_of_a_task_toml_is_reported_at_once_with_its_file_and_key(make_task):
    folder = make_task()
    (folder / "task.toml").write_text(
        'id = "other/name"\nkind = "rewrite"\nfunctionality = 3\ncomponents = "json"\n'
        'instruction = "   "\nbrief = ""\ntimeout = true\nafter = ["a", "a"]\ntimout = 30\nnotes = "x"\n')
    with pytest.raises(TaskError) as raised:
        load_task(folder)
    toml = folder.resolve() / "task.toml"
    assert raised.value.path == str(toml)
    lines = str(raised.value).splitlines()
    assert all(line.startswith(f"{toml}: ") for line in lines), lines
    keys = [line.removeprefix(f"{toml}: ").split(":")[0] for line in lines]
    assert keys == ["notes", "timout", "id", "kind", "functionality", "components", "entry", "instruction", "brief",
                    "timeout", "after"]
    assert list(raised.value.problems) == [line.removeprefix(f"{toml}: ") for line in lines]
    for expected in ("notes: unknown key; allowed: after, brief,", "timout: unknown key (did you mean 'timeout'?)",
                     "kind: must be one of inline, translate (got 'rewrite')",
                     "functionality: must be a non-empty string (got 3)",
                     "components: must be a non-empty list of library names (got 'json')",
                     "entry: missing (a required key)", "instruction: must be a non-empty string (got '   ')",
                     "brief: must be a non-empty string (got '')",
                     "timeout: must be a positive number of seconds (got True)"):
        assert any(line.startswith(f"{toml}: {expected}") for line in lines), expected


def test_the_rules_across_keys_are_checked_once_each_key_is_valid(make_task):
    """kind translate needs functionality translation and two components; a key that is
    wrong on its own is reported once, not again by the rules that use it."""
    toml = TOML.replace('kind = "inline"', 'kind = "translate"').replace('["json"]', '["a", "b", "c"]')
    with pytest.raises(TaskError) as raised:
        load_task(make_task(toml=toml))
    assert [p.split(":")[0] for p in raised.value.problems] == ["kind", "components"]
    assert "components: a translate task names two components: [from, to] (got ['a', 'b', 'c'])" \
        in raised.value.problems
    with pytest.raises(TaskError) as raised:
        load_task(make_task(name="two", toml=toml.replace('"experiment_tracking"', '"tracking"')))
    assert [p.split(":")[0] for p in raised.value.problems] == ["functionality", "components"]


def test_the_config_is_typed_and_frozen(make_task):
    folder = make_task()
    config = read_config(folder / "task.toml", "suite/demo")
    assert config == TaskConfig(kind="inline", functionality="experiment_tracking", components=("json",),
                                entry="main.py", instruction="Also write the score to result.json.",
                                brief="The score is also in result.json.", timeout=30.0)
    assert isinstance(config.timeout, float) and config.after == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.kind = "translate"  # type: ignore[misc]


def test_every_task_of_the_corpus_loads():
    root = Path(__file__).parents[2] / "tasks"
    folders = sorted(path.parent for path in root.rglob("task.toml"))
    tasks = load_paths([root])
    assert len(tasks) == len(folders) >= 40
    assert {t.kind for t in tasks} == set(KINDS) and {t.functionality for t in tasks} <= set(FUNCTIONALITIES)
    assert all(t.instruction and t.brief for t in tasks)


def test_after_commands_run_as_the_program_does(make_task):
    """task.toml `after`: commands run as the sample after the program, the way the program
    runs (sh -c, the DVC site cache in the work dir); the check is told which, in order."""
    folder = make_task()
    _toml(folder, "timeout = 30", 'timeout = 30\nafter = ["python3 main.py train", "python3 main.py"]')
    task = load_task(folder)
    assert task.after == ("python3 main.py train", "python3 main.py")
    commands = after_commands(task)
    assert [c[:2] for c in commands] == [["sh", "-c"]] * 2
    assert commands[0][2].endswith("; python3 main.py train")
    assert commands[0][2].split(";")[0] == program_command(task)[2].split(";")[0]
    assert check_request(task, None)["context"]["after"] == list(task.after)
    assert load_task(make_task(name="plain")).after == ()


def test_translate_tasks_name_two_components(make_task):
    toml = TOML.replace('kind = "inline"', 'kind = "translate"').replace(
        '"experiment_tracking"', '"translation"'
    )
    with pytest.raises(TaskError, match=r"two components: \[from, to\]"):
        load_task(make_task(toml=toml))
    task = load_task(make_task(name="ok", toml=toml.replace('["json"]', '["gitpython", "dvc"]')))
    assert task.components == ("gitpython", "dvc")


def test_digest_is_stable_and_sees_every_byte(make_task, tmp_path):
    first = load_task(make_task(name="a")).digest
    assert load_task(make_task(name="a")).digest == first  # same files, same digest
    assert load_task(make_task(name="b")).digest == first  # the folder name is not content
    copy = make_task(name="c")
    (copy / "input" / "__pycache__").mkdir()
    (copy / "input" / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"junk")
    assert load_task(copy).digest == first  # byte-code caches are not part of a task
    for path in ("docs.md", "check.py", "input/main.py", "reference/main.py", "task.toml"):
        changed = make_task(name="d" + str(abs(hash(path))))
        target = changed / path
        target.write_text(target.read_text() + "\n")
        assert load_task(changed).digest != first, path


def test_program_files_put_the_candidate_in_place_of_the_entry(make_task):
    task = load_task(make_task(inputs={"main.py": "print(1)\n", "lib/helper.py": "X = 1\n"}))
    files = program_files(task, "print('candidate')\n")
    # The program's dir holds the program and nothing of the judge: no check, no helper,
    # no copy of the original it could rewrite.
    assert files == {"main.py": b"print('candidate')\n", "lib/helper.py": b"X = 1\n"}
    command = program_command(task)
    assert command[:2] == ["sh", "-c"] and command[2].endswith("exec python3 main.py")


def test_reference_folders_replace_and_extend_the_inputs(make_task):
    task = load_task(make_task(reference={"main.py": "print(2)\n", "extra.py": "Y = 2\n"}))
    files = program_files(task, task.reference)
    assert files["main.py"] == b"print(2)\n" and files["extra.py"] == b"Y = 2\n"


def test_the_check_request_carries_the_judges_inputs(make_task):
    task = load_task(make_task())
    request = check_request(task, {"rc": 0, "stdout": "score: 0.75\n", "stderr": ""})
    assert request["check"] == task.checks
    modules = request["modules"]  # the whole benchcheck package, by module name
    assert "from .judge import" in modules["benchcheck"]
    assert "def assert_same_score" in modules["benchcheck.judge"]
    assert "_LOADER = " in modules["benchcheck.artifacts"]
    assert set(modules) == {"benchcheck"} | {f"benchcheck.{p.stem}" for p in BENCHCHECK_FILES if p.stem != "__init__"}
    assert request["original"] == task.inputs
    assert request["context"] == {"entry": task.entry, "original": {"rc": 0, "stdout": "score: 0.75\n", "stderr": ""},
                                  "after": []}


def test_every_module_the_judge_gets_is_in_the_judge_digest():
    """What check_request sends of benchcheck is what JUDGE_FILES hashes, in a stable order."""
    from benchrun.codegen.judge_inputs import JUDGE_FILES

    hashed = [path for path in JUDGE_FILES if path.parent.name == "benchcheck"]
    assert hashed == sorted(hashed) == list(BENCHCHECK_FILES)
    assert {path.name for path in hashed} >= {"__init__.py", "judge.py", "artifacts.py", "humaneval.py"}


def test_mutants_and_alternatives_are_read_but_do_not_change_the_digest(make_task):
    folder = make_task()
    before = load_task(folder).digest
    for kind, name in (("mutants", "wrong-score"), ("alternatives", "other-style")):
        (folder / kind / name).mkdir(parents=True)
        (folder / kind / name / "main.py").write_text(f"# {name}\n")
    task = load_task(folder)
    assert task.mutants == {"wrong-score": {"main.py": "# wrong-score\n"}}
    assert task.alternatives == {"other-style": {"main.py": "# other-style\n"}}
    assert task.digest == before


def test_run_env_is_the_contract():
    assert RUN_ENV["PYTHONHASHSEED"] == "0" and RUN_ENV["MPLBACKEND"] == "Agg"
    assert RUN_ENV["GIT_AUTHOR_NAME"] == RUN_ENV["GIT_COMMITTER_NAME"] == "benchrun"
    assert RUN_ENV["GIT_AUTHOR_EMAIL"] == RUN_ENV["GIT_COMMITTER_EMAIL"] == "benchrun@localhost"
    assert RUN_ENV["DVC_NO_ANALYTICS"] == "1" and RUN_ENV["WANDB_SILENT"] == "true"


def test_sources_suites_and_ids(make_task, tmp_path):
    make_task(name="one")
    make_task(name="two", suite="other")
    suite = tmp_path / "tasks" / "suite"
    source = TaskSource("folder", "tasks/*/*", (str(suite / "one"),), Loc("x.bench", 1, 1))
    assert [t.id for t in load_tasks(source)] == ["suite/one"]
    # A glob that matched suite folders (or tasks/ itself) still finds the tasks below.
    everything = TaskSource("folder", "tasks", (str(tmp_path / "tasks"),), Loc("x.bench", 1, 1))
    ids = list_task_ids(everything)
    assert [task_id for task_id, _ in ids] == ["other/two", "suite/one"]
    assert all(len(digest) == 64 for _, digest in ids)
    assert [t.id for t in load_paths([suite, tmp_path / "tasks" / "other" / "two"])] == ["suite/one", "other/two"]
    with pytest.raises(TaskError, match="matches no task folders"):
        load_tasks(TaskSource("folder", "nothing/*", (), Loc("x.bench", 1, 1)))
    (tmp_path / "empty").mkdir()
    with pytest.raises(TaskError, match="no task folders"):
        load_paths([tmp_path / "empty"])


def test_the_shipped_corpus_loads():
    root = Path(__file__).parents[2] / "tasks" / "translation"
    tasks = load_paths([root])
    assert len(tasks) >= 12
    assert {t.components for t in tasks} == {("gitpython", "dvc"), ("mlflow", "wandb")}
    for task in tasks:
        assert task.kind == "translate" and task.functionality == "translation"
        assert task.docs.count("\n") >= 30 and task.instruction
