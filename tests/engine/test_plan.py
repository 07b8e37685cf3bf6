"""Plans: unit ids are a pure function of what decides a unit's result."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchrun.engine.plan import build_plan, summarize
from benchrun.grammar import SpecError, load_spec, parse_text
from benchrun.tuning.plan import search_points

ROOT = Path(__file__).resolve().parents[2]

TASK_TOML = """\
kind = "inline"
functionality = "experiment_tracking"
components = ["mlflow"]
entry = "train.py"
instruction = "Log the training loss with MLflow."
brief = "The training loss is in MLflow."
"""

SPEC = """\
benchmark "b" {{
  tasks "../tasks/demo/*"
  models [oracle, identity]
  strategies [zero_shot, docprompt(docs = "dvc")]
  samples {samples}
  temperature {temperature}
  score {score}
  concurrency {concurrency}
}}
tune "t" {{
  datasets [sklearn("iris"), sklearn("diabetes")]
  algorithms [linear_regression, svm]
  grid {{ batch_size = [16, 32] learning_rate = 10 ** (-2 .. -1) }}
}}
""".replace("] learning_rate", "]\n    learning_rate")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plan")
    for name in ("t1", "t2"):
        folder = root / "tasks" / "demo" / name
        (folder / "input").mkdir(parents=True)
        (folder / "reference").mkdir()
        (folder / "task.toml").write_text(TASK_TOML)
        (folder / "input" / "train.py").write_text(f"print({name!r})\n")
        (folder / "reference" / "train.py").write_text(f"import mlflow\nprint({name!r})\n")
        (folder / "check.py").write_text("print('ok')\n")
    (root / "specs").mkdir()
    return root


def plan_of(workspace: Path, samples=5, temperature=0.2, score="[pass@1]", concurrency=2):
    text = SPEC.format(samples=samples, temperature=temperature, score=score, concurrency=concurrency)
    return build_plan(parse_text(text, str(workspace / "specs" / "p.bench")))


def codegen_ids(plan) -> list[str]:
    return [u.id for u in plan.by_kind("codegen")]


def test_same_spec_same_ids(workspace):
    first, second = plan_of(workspace), plan_of(workspace)
    assert [u.id for u in first.units] == [u.id for u in second.units]
    assert len({u.id for u in first.units}) == len(first.units) == 2 * 2 * 2 * 5 + 4 * 2


def test_ids_are_stable_across_processes(workspace):
    path = workspace / "specs" / "stable.bench"
    path.write_text(SPEC.format(samples=3, temperature=0.5, score="[pass@1]", concurrency=2))
    here = [u.id for u in build_plan(load_spec(path)).units]
    code = (
        "import json, sys\nfrom benchrun.grammar import load_spec\nfrom benchrun.engine.plan import build_plan\n"
        "print(json.dumps([u.id for u in build_plan(load_spec(sys.argv[1])).units]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    there = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True)
    assert json.loads(there.stdout) == here


def test_more_samples_keep_the_first_ids(workspace):
    five, ten = plan_of(workspace, samples=5), plan_of(workspace, samples=10)
    kept = {u.id for u in ten.by_kind("codegen") if u.params["sample"] < 5}
    assert kept == set(codegen_ids(five))
    assert len(codegen_ids(ten)) == 2 * len(codegen_ids(five))
    assert [u.id for u in five.by_kind("trial")] == [u.id for u in ten.by_kind("trial")]


def test_temperature_changes_every_codegen_id_and_no_trial_id(workspace):
    cold, warm = plan_of(workspace, temperature=0.2), plan_of(workspace, temperature=0.8)
    assert not set(codegen_ids(cold)) & set(codegen_ids(warm))
    assert [u.id for u in cold.by_kind("trial")] == [u.id for u in warm.by_kind("trial")]


def test_score_and_concurrency_change_no_id(workspace):
    base = [u.id for u in plan_of(workspace).units]
    assert [u.id for u in plan_of(workspace, score="[pass@1, pass@5]").units] == base
    assert [u.id for u in plan_of(workspace, concurrency=8).units] == base


def test_task_content_changes_only_its_units(workspace, tmp_path):
    before = plan_of(workspace)
    train = workspace / "tasks" / "demo" / "t2" / "input" / "train.py"
    original = train.read_text()
    try:
        train.write_text(original + "# edited\n")
        after = plan_of(workspace)
    finally:
        train.write_text(original)
    changed = {u.params["task"] for u, v in zip(before.by_kind("codegen"), after.by_kind("codegen")) if u.id != v.id}
    assert changed == {"demo/t2"}


def test_the_instruction_level_is_in_every_codegen_id_and_label(workspace):
    """`instructions [brief, detailed]` doubles the codegen units; each level's units are
    those of a spec with that level alone, brief being the default."""
    def plan_with(levels: str | None):
        text = SPEC.format(samples=2, temperature=0.2, score="[pass@1]", concurrency=2)
        if levels:
            text = text.replace("  samples 2", f"  instructions {levels}\n  samples 2")
        return build_plan(parse_text(text, str(workspace / "specs" / "p.bench"))).by_kind("codegen")

    default, brief, detailed, both = (plan_with(x) for x in (None, "brief", "detailed", "[brief, detailed]"))
    assert [u.id for u in default] == [u.id for u in brief]
    assert not {u.id for u in brief} & {u.id for u in detailed}
    assert {u.id for u in both} == {u.id for u in brief} | {u.id for u in detailed}
    assert {u.labels["level"] for u in both} == {"brief", "detailed"}
    assert all(u.params["level"] == u.labels["level"] for u in both)


def test_a_prompted_unit_sees_its_level_text(workspace):
    """The prompt digest follows the level's text: editing a brief changes only the brief
    units of prompted models."""
    from benchrun.codegen.sources import load_paths

    task = load_paths([workspace / "tasks" / "demo" / "t1"])[0]
    assert task.at_level("brief").instruction == "The training loss is in MLflow."
    assert task.at_level("detailed").instruction == "Log the training loss with MLflow."


def test_tuning_spec_grid_is_the_product():
    spec = load_spec(ROOT / "specs" / "tuning.bench")
    (block,) = spec.blocks
    sizes = [len(p.domain.values) for p in block.search.space]
    assert sizes == [10, 4, 2]
    points = search_points(block.search, block.seed)
    assert len(points) == math.prod(sizes) == 80
    plan = build_plan(spec)
    # pollen and the synthetic stand-in are regression sets (linear_regression); diabetes,
    # kddcup and mnist classification sets (logistic_regression, svm): 2 + 3 * 2 pairs.
    assert len(plan.units) == 80 * (2 + 3 * 2)
    summary = summarize(plan)["blocks"][0]
    assert summary["grid_size"] == 80
    assert summary["by_algorithm"] == {"linear_regression": 160, "logistic_regression": 240, "svm": 240}
    assert {u.params["config"]["batch_size"] for u in plan.units} == {2**e for e in range(1, 11)}


def test_random_search_points_are_seeded(workspace):
    text = """tune "r" {
  datasets [sklearn("iris")]
  algorithms [svm]
  random(samples = 6) {
    batch_size = randint(1, 100)
    learning_rate = loguniform(1e-4, 1e-1)
  }
  seed %d
}
"""
    path = str(workspace / "specs" / "r.bench")
    first, again, other = (build_plan(parse_text(text % seed, path)) for seed in (1, 1, 2))
    configs = [u.params["config"] for u in first.units]
    assert len(configs) == 6 and configs == [u.params["config"] for u in again.units]
    assert configs != [u.params["config"] for u in other.units]
    assert all(1 <= c["batch_size"] <= 100 and 1e-4 <= c["learning_rate"] <= 1e-1 for c in configs)


def test_repeated_random_draws_and_overlapping_task_sources_stay_distinct(workspace):
    text = """benchmark "b" {
  tasks ["../tasks/demo/*", "../tasks/demo/t1"]
  models [oracle]
}
tune "r" {
  datasets [sklearn("iris")]
  algorithms [svm]
  random(samples = 8) { batch_size = [32] }
}
"""
    plan = build_plan(parse_text(text, str(workspace / "specs" / "d.bench")))
    assert sorted(u.params["task"] for u in plan.by_kind("codegen")) == ["demo/t1", "demo/t2"]
    trials = plan.by_kind("trial")
    assert len(trials) == len({u.id for u in trials}) == 8


# ---------------------------------------------------------------- what ids hash, rule by rule

RULES_SPEC = """\
benchmark "b" {{
  tasks "../tasks/demo/*"
  models [openai("gpt-x", base_url = "{url}", timeout = {timeout}, max_attempts = {attempts}, concurrency = {concurrency}), oracle]
  strategies [zero_shot, tuned, docprompt(docs = "../docs/api.md")]
  samples 2
  sandbox {sandbox}
}}
"""


def rules_plan(workspace: Path, url="http://127.0.0.1:1/v1", timeout="30s", attempts=3, concurrency=2,
               sandbox="docker(timeout = 60s)"):
    text = RULES_SPEC.format(url=url, timeout=timeout, attempts=attempts, concurrency=concurrency, sandbox=sandbox)
    return build_plan(parse_text(text, str(workspace / "specs" / "rules.bench")))


@pytest.fixture
def templates(tmp_path, monkeypatch) -> Path:
    """A copy of the built-in templates that the prompts (and so the ids) use."""
    import shutil

    import benchrun.prompts.frame as build

    copy = tmp_path / "templates"
    shutil.copytree(build.TEMPLATES, copy)
    monkeypatch.setattr(build, "TEMPLATES", copy)
    return copy


@pytest.fixture(scope="module")
def rules_workspace(workspace) -> Path:
    (workspace / "docs").mkdir(exist_ok=True)
    (workspace / "docs" / "api.md").write_text("# API\n\nmlflow.log_param(key, value)\n")
    return workspace


def changed(before, after) -> set[tuple]:
    """(task, model, strategy) of the codegen units whose id changed."""
    assert [u.params["sample"] for u in before.units] == [u.params["sample"] for u in after.units]
    return {(u.labels["task"], u.labels["model"], u.params["strategy"]["name"])
            for u, v in zip(before.by_kind("codegen"), after.by_kind("codegen")) if u.id != v.id}


def edited(path: Path, extra: str):
    """Context: `path` with `extra` appended, restored after."""
    import contextlib

    @contextlib.contextmanager
    def edit():
        original = path.read_bytes()
        path.write_bytes(original + extra.encode())
        try:
            yield
        finally:
            path.write_bytes(original)

    return edit()


ALL = {(t, m, s) for t in ("demo/t1", "demo/t2") for m in ("openai:gpt-x", "oracle")
       for s in ("zero_shot", "tuned", "docprompt")}
PROMPTED = {cell for cell in ALL if cell[1] == "openai:gpt-x"}


def test_transport_options_change_no_id(rules_workspace):
    base = rules_plan(rules_workspace)
    for other in (rules_plan(rules_workspace, url="http://127.0.0.1:2/v1"), rules_plan(rules_workspace, timeout="90s"),
                  rules_plan(rules_workspace, attempts=9), rules_plan(rules_workspace, concurrency=16)):
        assert [u.id for u in other.units] == [u.id for u in base.units]


def test_a_template_changes_only_the_tuned_units_of_prompted_models(rules_workspace, templates):
    before = rules_plan(rules_workspace)
    with edited(templates / "experiment_tracking.md", "Be brief.\n"):
        after = rules_plan(rules_workspace)
    assert changed(before, after) == {cell for cell in PROMPTED if cell[2] == "tuned"}
    with edited(templates / "translation.md", "unused by these tasks\n"):
        assert changed(before, rules_plan(rules_workspace)) == set()


def test_the_system_template_changes_every_prompted_unit(rules_workspace, templates):
    before = rules_plan(rules_workspace)
    with edited(templates / "system.md", "Answer in Python.\n"):
        assert changed(before, rules_plan(rules_workspace)) == PROMPTED


def test_a_docs_file_changes_only_the_docprompt_units_of_prompted_models(rules_workspace):
    before = rules_plan(rules_workspace)
    with edited(rules_workspace / "docs" / "api.md", "\nmlflow.log_metric(key, value)\n"):
        after = rules_plan(rules_workspace)
    assert changed(before, after) == {cell for cell in PROMPTED if cell[2] == "docprompt"}


def test_the_judge_files_change_every_codegen_unit_and_no_trial(rules_workspace, workspace, tmp_path, monkeypatch):
    import benchrun.codegen.judge_inputs as judge

    copy = tmp_path / "benchcheck.py"
    copy.write_bytes(judge.JUDGE_FILES[0].read_bytes())
    monkeypatch.setattr(judge, "JUDGE_FILES", (copy,))
    before, mixed_before = rules_plan(rules_workspace), plan_of(workspace)
    with edited(copy, "\n# a fix in a helper\n"):
        after, mixed_after = rules_plan(rules_workspace), plan_of(workspace)
    assert changed(before, after) == ALL
    assert [u.id for u in mixed_before.by_kind("trial")] == [u.id for u in mixed_after.by_kind("trial")]


def test_every_file_of_the_docker_backend_that_runs_samples_is_hashed():
    """A new module of the Docker package decides how samples run unless it is clean-up or docs."""
    import benchrun.codegen.judge_inputs as judge

    package = judge.SANDBOX_FILES["docker"][0].parent
    files = {path.name for path in package.iterdir() if path.suffix in (".py", ".sh")}
    assert files - {path.name for path in judge.SANDBOX_FILES["docker"]} == {"__init__.py", "cleanup.py"}
    assert all(path.is_file() for path in judge.SANDBOX_FILES["docker"])


@pytest.mark.parametrize("name", ["wrapper.sh", "execs.py", "preload.py", "local.py", "judge_runner.py", "base.py",
                                  "tasks.py", "judging.py"])
def test_a_file_that_decides_how_a_sample_runs_changes_the_units_it_runs(rules_workspace, tmp_path, monkeypatch,
                                                                         name):
    """The sandbox wrapper, the warm program's server, the judge...: a change to one changes
    the id of every unit run with it, and only of those (a Docker file, not local units)."""
    import shutil

    import benchrun.codegen.judge_inputs as judge

    def copied(paths):
        copies = []
        for path in paths:
            copy = tmp_path / path.parent.name / path.name
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(path, copy)
            copies.append(copy)
        return tuple(copies)

    monkeypatch.setattr(judge, "JUDGE_FILES", copied(judge.JUDGE_FILES))
    monkeypatch.setattr(judge, "SANDBOX_FILES", {k: copied(v) for k, v in judge.SANDBOX_FILES.items()})
    [target] = [path for path in (*judge.JUDGE_FILES, *judge.SANDBOX_FILES["docker"], *judge.SANDBOX_FILES["local"])
                if path.name == name]
    local = "local(timeout = 60s)"
    docker_before, local_before = rules_plan(rules_workspace), rules_plan(rules_workspace, sandbox=local)
    with edited(target, "\n# a change\n"):
        docker_after, local_after = rules_plan(rules_workspace), rules_plan(rules_workspace, sandbox=local)
    in_docker, in_local = target in judge.SANDBOX_FILES["docker"], target in judge.SANDBOX_FILES["local"]
    assert changed(docker_before, docker_after) == (set() if in_local else ALL)
    assert changed(local_before, local_after) == (set() if in_docker else ALL)


def test_the_sandbox_image_changes_every_docker_unit(rules_workspace, tmp_path, monkeypatch):
    import shutil

    import benchrun.codegen.judge_inputs as judge

    base = rules_plan(rules_workspace)
    assert changed(base, rules_plan(rules_workspace, sandbox='docker(timeout = 60s, image = "mine:1")')) == ALL
    recipe = tmp_path / "images"
    shutil.copytree(judge.IMAGE_RECIPE, recipe)
    monkeypatch.setattr(judge, "IMAGE_RECIPE", recipe)
    before = rules_plan(rules_workspace)
    with edited(recipe / "requirements.txt", "\nrich==13.7.1\n"):
        assert changed(before, rules_plan(rules_workspace)) == ALL
        local = rules_plan(rules_workspace, sandbox="local(timeout = 60s)")
    assert changed(local, rules_plan(rules_workspace, sandbox="local(timeout = 60s)")) == set()


@pytest.mark.parametrize("option", ["warm_judge", "warm_program"])
def test_the_warm_options_are_on_by_default_and_off_keeps_the_cold_ids(rules_workspace, option):
    from benchrun.codegen.plan import _sandbox_params

    base = rules_plan(rules_workspace)
    assert [getattr(b.sandbox, option) for b in base.spec.blocks if b.kind == "benchmark"] == [True]
    assert changed(base, rules_plan(rules_workspace, sandbox=f"docker(timeout = 60s, {option} = on)")) == set()
    off = rules_plan(rules_workspace, sandbox=f"docker(timeout = 60s, {option} = off)")
    assert changed(base, off) == ALL
    cold = rules_plan(rules_workspace, sandbox="docker(timeout = 60s, warm_judge = off, warm_program = off)")
    assert changed(off, cold) == ALL
    # Off, an option is left out of the id, as before it existed: cold ids stay what they were.
    [sandbox] = [b.sandbox for b in cold.spec.blocks if b.kind == "benchmark"]
    assert not {"warm_judge", "warm_program"} & set(_sandbox_params(sandbox, None))
    [sandbox] = [b.sandbox for b in base.spec.blocks if b.kind == "benchmark"]
    assert {"warm_judge", "warm_program"} <= set(_sandbox_params(sandbox, None))
    local = [b.sandbox for b in rules_plan(rules_workspace, sandbox="local(timeout = 60s)").spec.blocks
             if b.kind == "benchmark"]
    assert not {"warm_judge", "warm_program"} & set(_sandbox_params(local[0], None))  # docker's options only
    with pytest.raises(SpecError, match=option):
        rules_plan(rules_workspace, sandbox=f"local(timeout = 60s, {option} = on)")


def test_the_sandbox_timeout_changes_only_tasks_without_their_own(rules_workspace):
    toml = rules_workspace / "tasks" / "demo" / "t2" / "task.toml"
    with edited(toml, "timeout = 120\n"):
        short = rules_plan(rules_workspace, sandbox="docker(timeout = 60s)")
        longer = rules_plan(rules_workspace, sandbox="docker(timeout = 90s)")
    assert changed(short, longer) == {cell for cell in ALL if cell[0] == "demo/t1"}
