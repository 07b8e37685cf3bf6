"""Plans: unit ids are a pure function of what decides a unit's result."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchrun.engine.plan import build_plan, search_points, summarize
from benchrun.grammar import load_spec, parse_text

ROOT = Path(__file__).resolve().parents[2]

TASK_TOML = """\
kind = "inline"
functionality = "experiment_tracking"
components = ["mlflow"]
entry = "train.py"
instruction = "Log the training loss with MLflow."
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
