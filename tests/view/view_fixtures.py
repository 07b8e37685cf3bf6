"""A results file for the fast tests of `benchrun view`, written through the store from a
real plan (real unit ids, task ids and digests) with chosen outcomes, so no model,
sandbox or training runs: three corpus tasks (one model optimisation, two translation, so
the translation cells have a 95 % interval) x (oracle, identity) x both instruction
levels, one identity sample whose answer is hostile HTML, one incomplete cell (a failed
unit), and a tune block of two trials, one stopped by a rule at step 10. Under a strategy
other than zero_shot, identity's second sample passes on every task but the last, so its
translation cells' intervals have a width."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchrun.codegen.tasks import load_task
from benchrun.engine.plan import build_plan
from benchrun.grammar import load_spec
from benchrun.storage.store import Store, params_json
from benchrun.storage.tables import now

ROOT = Path(__file__).parents[2]
CORPUS_TASKS = [ROOT / "tasks" / "inlining" / "onnx-logreg-iris", ROOT / "tasks" / "translation" / "mlflow-wandb-iris-params",
                ROOT / "tasks" / "translation" / "mlflow-wandb-mlp-epochs"]
LEVELS = ("brief", "detailed")
# A stand-in brief for a corpus task that has none yet (the fixture needs both levels).
STAND_IN_BRIEF = 'brief = "Make the program record what its instruction asks for; its printed output stays as it is."\n'
HOSTILE = "</pre><script>alert(1)</script><img src=x onerror=alert(2)>"
RUN = "r-20250101-000000-test"
STOP_STEP = 10
MEASURE = 0.4375  # a model-optimisation sample's latency_ratio (+ its sample index)
CHECK_OUTPUT = "CHECK FAILED: the output file was not written\n"

SPEC = """
benchmark "smoke" {
  tasks       [%(tasks)s]
  models      [oracle, identity]
  strategies  [%(strategies)s]
  instructions [brief, detailed]
  samples     2
  score       [pass@1, pass@2]
  sandbox     local()
}

tune "tiny" {
  datasets    [synthetic(rows = 500, features = 4, task = regression)]
  algorithms  [linear_regression]
  grid {
    batch_size    = [32, 256]
  }
  epochs      1
  evaluate    every 5 steps
  stop        when cpu_time_s >= 0 and val_loss > 1000
  executor    local(max_concurrent = 1)
  metric      val_loss min
}
"""

# A second search of the same problem (make_results(..., searches=True)).
RANDOM_BLOCK = """
tune "tiny_random" {
  datasets    [synthetic(rows = 500, features = 4, task = regression)]
  algorithms  [linear_regression]
  random(samples = 3) {
    batch_size    = [32, 256]
  }
  epochs      1
  evaluate    every 5 steps
  stop        when cpu_time_s >= 0 and val_loss > 1000
  executor    local(max_concurrent = 1)
  metric      val_loss min
  seed        1
}
"""


def copy_tasks(folder: Path) -> list[Path]:
    """The corpus tasks, copied under folder/tasks (same ids), each with a brief."""
    copies = []
    for task in CORPUS_TASKS:
        copy = folder / "tasks" / task.parent.name / task.name
        if not copy.exists():
            shutil.copytree(task, copy)
            toml = copy / "task.toml"
            if not any(line.startswith("brief") for line in toml.read_text().splitlines()):
                toml.write_text(STAND_IN_BRIEF + toml.read_text())
        copies.append(copy)
    return copies


def write_spec(folder: Path, strategies: str = "zero_shot", searches: bool = False) -> Path:
    spec = folder / "view.bench"
    text = SPEC % {"tasks": ", ".join(f'"{t}"' for t in copy_tasks(folder)), "strategies": strategies}
    spec.write_text(text + (RANDOM_BLOCK if searches else ""))
    return spec


def make_results(folder: Path, strategies: str = "zero_shot", searches: bool = False) -> tuple[Path, Path]:
    """(spec, results file) in `folder`. With a second strategy, identity's first sample passes
    under it; with `searches`, a random search of the tune block's problem is added."""
    spec = write_spec(folder, strategies, searches)
    db = folder / "view.duckdb"
    units = build_plan(load_spec(spec)).units
    store = Store(db)
    store.open_run(RUN, units, fresh=False, spec_path=str(spec), spec_hash="x", version="test")
    tasks = {task.id: task for task in map(load_task, copy_tasks(folder))}
    last_task = load_task(CORPUS_TASKS[-1]).id
    unit_rows, sample_rows, metric_rows, measure_rows = [], [], [], []
    failed_unit = next(u for u in units if u.kind == "codegen" and u.labels["model"] == "oracle"
                       and u.labels["task"].startswith("translation") and u.labels["sample"] == 1
                       and u.labels["level"] == "brief")
    hostile_done = False
    for unit in units:
        row = {"run_id": RUN, "unit_id": unit.id, "kind": unit.kind, "block": unit.block, "params": params_json(unit.params),
               "status": "done", "attempts": 1, "finished": now()}
        if unit is failed_unit:  # the model was down: its cell is incomplete
            unit_rows.append({**row, "status": "failed", "error": "model oracle: down"})
            continue
        if unit.kind == "codegen":
            task = tasks[unit.labels["task"]]
            oracle = unit.labels["model"] == "oracle"
            passes = oracle or (unit.labels["strategy"] != "zero_shot" and unit.labels["sample"] == 1 and task.id != last_task)
            hostile = not passes and not hostile_done
            hostile_done = hostile_done or hostile
            code = task.solution if passes else (HOSTILE if hostile else task.program)
            sample_rows.append({
                "run_id": RUN, "unit_id": unit.id, "block": unit.block, "task": task.id, "functionality": task.functionality,
                "model": unit.labels["model"], "strategy": unit.labels["strategy"], "sample": unit.labels["sample"],
                "prompt_hash": "ab" * 32, "prompt_truncated": False,
                "completion": f"```python\n{code}\n```", "code": code, "extraction": "fenced",
                "tokens_in": 100, "tokens_out": 50, "latency_s": 0.5, "cached": False, "exit_code": 0 if passes else 1,
                "duration_s": 2.0, "timed_out": False, "oom": False, "passed": passes,
                "failure": None if passes else ("runtime_error" if hostile else "check_failed"),
                "stdout_tail": "accuracy: 0.9667\n",
                "stderr_tail": "" if passes else ("Traceback: " + HOSTILE if hostile else CHECK_OUTPUT),
                "cost_usd": 0.001, "created": now()})
            if task.functionality == "model_optimisation":  # graded values, a failed check's marked
                measure_rows.append({"run_id": RUN, "unit_id": unit.id, "sample": unit.labels["sample"],
                                     "name": "latency_ratio", "value": MEASURE + unit.labels["sample"], "unit": "ratio",
                                     "check_passed": passes, "created": now()})
        else:
            stopped = unit.params["config"]["batch_size"] == 32
            steps = STOP_STEP if stopped else 20
            for step in range(1, steps + 1):
                metric_rows.append((unit.id, step, "train_loss", 100.0 / step))
                if step % 5 == 0:
                    for name, value in (("val_loss", 2000.0 / step if stopped else 50.0 / step), ("step_time_ms", 2.0),
                                        ("cpu_step_ms", 1.5), ("cpu_pct", 50.0), ("memory_mb", 100.0 + step), ("cpu_time_s", 0.01 * step)):
                        metric_rows.append((unit.id, step, name, value))
            best = min(v for u, _, n, v in metric_rows if u == unit.id and n == "val_loss")
            row["summary"] = json.dumps({"steps": steps, "best_value": best, "stopped_at_step": STOP_STEP if stopped else None,
                                         "stop_reason": "(cpu_time_s >= 0 and val_loss > 1000)" if stopped else "completed"})
        unit_rows.append(row)
    store.insert("samples", sample_rows)
    store.insert("metrics", [{"run_id": RUN, "unit_id": u, "step": s, "name": n, "value": v, "wall_time": now()}
                             for u, s, n, v in metric_rows])
    store.insert("sample_measures", measure_rows)
    store.insert("units", unit_rows)
    store.finish_run(RUN, "incomplete")
    return spec, db
