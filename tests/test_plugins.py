"""A third party extends benchrun without editing it: a provider, a prompting strategy, a
search method and a stop rule, each one module of an installed package registered through
entry points, used together by one spec that `benchrun run` runs end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

# One module per extension: what a plugin author writes.
MODULES = {
    "echo.py": '''
        """A provider that answers with the reference solution only when the prompt shouts."""
        from benchrun.models.base import Completion
        from benchrun.models.providers import ProviderEntry


        class Echo:
            kind, cacheable, context_tokens = "echo", False, None

            def __init__(self, name):
                self.name = name

            def describe(self):
                return {"kind": "echo"}

            async def generate(self, messages, n, params, *, task=None, first_sample=0):
                shouted = "SHOUTED" in messages[-1]["content"]
                code = task.reference[task.entry] if shouted else task.inputs[task.entry]
                return [Completion(f"```python\\n{code}\\n```", 0, 0, 0.0, "stop") for _ in range(n)]

            async def health(self):
                return True, "echo"

            async def aclose(self):
                pass


        PROVIDER = ProviderEntry(name="echo", doc="the reference, if asked loudly",
                                 build=lambda spec, options: Echo(spec.name))
    ''',
    "shouting.py": '''
        from benchrun.prompts.strategies import StrategyEntry

        STRATEGY = StrategyEntry(
            name="shouting", doc="the instruction in capitals",
            prompt=lambda frame, task, options, base: frame.plain(task.instruction.upper() + " (SHOUTED)"))
    ''',
    "edges.py": '''
        """Two points: every parameter at its first listed value, then at its last."""
        from benchrun.tuning.search import SearchMethod


        def points(search, seed):
            return [{p.name: p.domain.values[i] for p in search.space} for i in (0, -1)]


        EDGES = SearchMethod(name="edges", doc="first and last values", points=points, finite=True)
    ''',
    "after.py": '''
        """Stop a trial once it has run `steps` steps."""
        from benchrun.registry import Int, Option
        from benchrun.tuning.rules import StopRule


        class After:
            def __init__(self, args, objective, mode):
                self.steps = args["steps"]

            def fires(self, result):
                return result.get("step", 0) >= self.steps


        AFTER = StopRule(name="after", doc="a fixed number of steps",
                         options=(Option("steps", Int(1), "steps to run", required=True, positional=True),),
                         start=After)
    ''',
}
ENTRY_POINTS = """
[benchrun.providers]
echo = toy_plugin.echo:PROVIDER
[benchrun.strategies]
shouting = toy_plugin.shouting:STRATEGY
[benchrun.searches]
edges = toy_plugin.edges:EDGES
[benchrun.rules]
after = toy_plugin.after:AFTER
"""

SPEC = """
benchmark "loud" {
  tasks       humaneval("problems.jsonl")
  models      [echo, oracle]
  strategies  [shouting, zero_shot]
  sandbox     local()
}

tune "edgy" {
  datasets   [synthetic(rows = 400, features = 4)]
  algorithms [linear_regression]
  edges {
    batch_size    = [8, 16, 32]
    learning_rate = [0.001, 0.01]
  }
  evaluate   every 10 steps
  stop when  after(30)
  epochs     5
}
"""


def install_plugin(root: Path) -> Path:
    """The package as pip would leave it: its modules and a dist-info with entry points."""
    package = root / "toy_plugin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name, source in MODULES.items():
        (package / name).write_text(textwrap.dedent(source))
    info = root / "toy_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return root


def problems(path: Path) -> None:
    with path.open("w") as out:
        for i in range(2):
            out.write(json.dumps({
                "task_id": f"Loud/{i}", "entry_point": f"f{i}",
                "prompt": f"def f{i}(x):\n    \"\"\"Return x + {i}.\"\"\"\n",
                "canonical_solution": f"    return x + {i}\n",
                "test": f"def check(candidate):\n    assert candidate(1) == {i + 1}\n",
            }) + "\n")


ROOT = Path(__file__).resolve().parents[1]


def benchrun(*args: str, cwd: Path, plugin: Path | None) -> subprocess.CompletedProcess:
    path = [str(plugin or ""), str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
    return subprocess.run([sys.executable, "-c", "from benchrun.cli import main; main()", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # installs a package, then several benchrun processes: 8 s on an idle 2-core machine
def test_a_plugin_package_adds_four_kinds_of_entry_and_a_spec_runs_them(tmp_path):
    plugin = install_plugin(tmp_path / "site")
    work = tmp_path / "work"
    work.mkdir()
    problems(work / "problems.jsonl")
    (work / "loud.bench").write_text(SPEC)

    # Without the package the names are unknown, and said so where they are written.
    refused = benchrun("check", "loud.bench", cwd=work, plugin=None)
    assert refused.returncode == 1
    for name in ("model 'echo'", "strategy 'shouting'", "stop rule 'after'"):
        assert f"unknown {name}" in refused.stderr, refused.stderr

    listed = benchrun("plugins", cwd=work, plugin=plugin)
    assert listed.returncode == 0, listed.stderr
    for name in ("echo: the reference, if asked loudly", "shouting: the instruction in capitals",
                 "edges: first and last values", "after: a fixed number of steps"):
        assert name in listed.stdout

    ran = benchrun("run", "loud.bench", "--db", "results.duckdb", cwd=work, plugin=plugin)
    assert ran.returncode == 0, ran.stderr
    con = duckdb.connect(str(work / "results.duckdb"), read_only=True)
    verdicts = dict(((m, s), c) for m, s, c in con.execute(
        "SELECT model, strategy, count_if(passed) FROM samples GROUP BY ALL").fetchall())
    # echo passes only when the shouting strategy's prompt reached it; oracle always.
    assert verdicts == {("echo", "shouting"): 2, ("echo", "zero_shot"): 0,
                        ("oracle", "shouting"): 2, ("oracle", "zero_shot"): 2}
    trials = con.execute(
        "SELECT batch_size, learning_rate, stop_reason, stopped_at_step FROM trial_summary ORDER BY batch_size"
    ).fetchall()
    assert trials == [(8.0, 0.001, "after(30)", 30), (32.0, 0.01, "after(30)", 30)]
