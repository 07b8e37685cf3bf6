"""Several objectives (`metric val_loss min, memory_mb min`): the grammar, the unit params,
and the `pareto_front` view on hand-made trials whose dominance is known."""
from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from benchrun.engine.plan import build_plan
from benchrun.grammar import SpecError, load_spec
from benchrun.storage.store import migrate, params_json

SPEC = """tune "t" {
  datasets [sklearn("iris")]
  algorithms [svm]
  grid { batch_size = [8, 32] }
%s
}
"""


def units(tmp_path, line: str, name: str = "t.bench"):
    path = tmp_path / name
    path.write_text(SPEC % line)
    return [u for u in build_plan(load_spec(path)).units if u.kind == "trial"]


def test_extra_objectives_are_unit_params_and_leave_single_objective_ids_alone(tmp_path):
    plain = units(tmp_path, "", "a.bench")
    same = units(tmp_path, "  metric val_loss min", "b.bench")
    assert [u.id for u in plain] == [u.id for u in same] and "objectives" not in plain[0].params
    two = units(tmp_path, "  metric val_loss min, memory_mb, accuracy", "c.bench")
    # The first metric stays the search's objective; the others take the metric's better direction.
    assert (two[0].params["metric"], two[0].params["mode"]) == ("val_loss", "min")
    assert two[0].params["objectives"] == [["memory_mb", "min"], ["accuracy", "max"]]
    assert {u.id for u in two}.isdisjoint(u.id for u in plain)


SHAPE = "write metric NAME [min|max], NAME [min|max] ..., e.g. metric val_loss min, memory_mb min"


@pytest.mark.parametrize("line, at, message", [
    ("  metric val_loss min, memory_mb min, val_loss", "val_loss", "metric 'val_loss' is listed twice"),
    ("  metric val_loss, memory_mb min, memory_mb max", "memory_mb max", "metric 'memory_mb' is listed twice"),
    ("  metric val_loss, memroy_mb", "memroy_mb", "unknown metric 'memroy_mb' (did you mean 'memory_mb'?)"),
    ("  metric val_loss, memory_mb lowest", "lowest", "unknown mode 'lowest'; choose one of min, max"),
    ("  metric val_loss, memory_mb min max", "memory_mb", SHAPE),
    ("  metric val_loss, mode = max", "mode", SHAPE),
    ("  metric val_los, val_loss", "val_los", "unknown metric 'val_los' (did you mean 'val_loss'?)"),  # one error, not two
])
def test_a_wrong_objective_is_reported_where_it_is(tmp_path, line, at, message):
    path = tmp_path / "bad.bench"
    path.write_text(SPEC % line)
    with pytest.raises(SpecError) as error:
        load_spec(path)
    column = (line.index(at) if at == "val_los" else line.rindex(at)) + 1  # the offending item's own column, on line 5
    assert f"{path}:5:{column}: error: {message}" in str(error.value), str(error.value)
    assert len(error.value.errors) == 1, str(error.value)


# ---------------------------------------------------------------- pareto_front on hand-made trials

NOW = datetime(2025, 1, 1)


def trial(con, block: str, name: str, *, metric="val_loss", mode="min", objectives=None, dataset="pollen",
          best=None, memory=None, step_times=(), extra_rows=()) -> str:
    """One done trial unit of the plan, as the run loop writes it: params, a summary with
    its best value and peak memory, and metrics rows (memory_mb, step_time_ms, ...)."""
    params = {"dataset": {"name": dataset}, "algorithm": "linear_regression", "config": {"name": name},
              "metric": metric, "mode": mode, "search": {"method": "grid"}}
    if objectives is not None:
        params["objectives"] = objectives
    unit_id = f"t-{block}-{dataset}-{name}"
    summary = {"best_value": best, "peak_memory_mb": memory, "stop_reason": "completed", "steps": 10}
    con.execute("INSERT INTO units VALUES ('r1', ?, 'trial', ?, ?, 'done', 1, NULL, ?, ?)",
                [unit_id, block, params_json(params), NOW, params_json(summary)])
    con.execute("INSERT INTO planned_units VALUES ('r1', ?, 'trial', ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, NULL)",
                [unit_id, block, params_json(params)])
    rows = [(10 * (i + 1), "step_time_ms", v) for i, v in enumerate(step_times)]
    if memory is not None:
        rows.append((10, "memory_mb", memory))
    rows += list(extra_rows)
    con.executemany("INSERT INTO metrics VALUES ('r1', ?, ?, ?, ?, ?)",
                    [[unit_id, step, metric_name, value, NOW + timedelta(seconds=step)] for step, metric_name, value in rows])
    return name


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    con = duckdb.connect(str(tmp_path_factory.mktemp("db") / "pareto.duckdb"))
    migrate(con)
    con.execute("INSERT INTO runs VALUES ('r1', 'spec.bench', 'hash', ?, ?, 'finished', 'test', 'host', 1, 0, 0, NULL)", [NOW, NOW])
    two = [["memory_mb", "min"]]
    # val_loss min, memory_mb min
    for name, loss, mb in (("a", 1.0, 10), ("a_tie", 1.0, 10), ("b", 2.0, 5), ("d", 1.5, 12),
                           ("f", 3.0, 5), ("g", 0.5, 40)):
        trial(con, "loss", name, objectives=two, best=loss, memory=mb)
    trial(con, "loss", "no_value", objectives=two, best=None, memory=1)  # never evaluated: not on the front
    trial(con, "loss", "elsewhere", objectives=two, best=0.1, memory=1, dataset="other")  # another study
    # accuracy max, one objective: the front is over (accuracy max, peak memory min).
    for name, acc, mb in (("p", 0.9, 20), ("q", 0.8, 10), ("r", 0.85, 25), ("s", 0.95, 30), ("t", 0.8, 15)):
        trial(con, "acc", name, metric="accuracy", mode="max", best=acc, memory=mb)
    # val_loss min, step_time_ms min: a trial's mean step time (not its worst) counts.
    trial(con, "time", "steady", objectives=[["step_time_ms", "min"]], best=1.0, step_times=(6, 6))
    trial(con, "time", "spiky", objectives=[["step_time_ms", "min"]], best=1.0, step_times=(1, 9))
    # val_loss min, accuracy max, cpu_time_s min: best accuracy over evaluations, the last CPU total.
    three = [["accuracy", "max"], ["cpu_time_s", "min"]]
    acc_cpu = lambda acc, cpu: [(10, "accuracy", acc[0]), (20, "accuracy", acc[1]), (10, "cpu_time_s", cpu[0]), (20, "cpu_time_s", cpu[1])]  # noqa: E731
    trial(con, "three", "u", objectives=three, best=1.0, extra_rows=acc_cpu((0.9, 0.5), (1.0, 2.0)))
    trial(con, "three", "v", objectives=three, best=1.0, extra_rows=acc_cpu((0.8, 0.8), (0.5, 3.0)))
    trial(con, "three", "w", objectives=three, best=1.0, extra_rows=acc_cpu((0.9, 0.9), (0.1, 2.0)))
    yield con
    con.close()


def on_front(con, block: str, dataset: str = "pollen") -> set[str]:
    rows = con.execute("SELECT config ->> 'name' FROM pareto_front WHERE block = ? AND dataset = ?", [block, dataset]).fetchall()
    return {name for (name,) in rows}


def test_the_front_is_exactly_the_trials_no_other_dominates(front):
    # d is dominated by a (better on both), f by b (equal memory, better loss); equal trials
    # (a, a_tie) do not dominate each other; g is best on loss alone, so it stays.
    assert on_front(front, "loss") == {"a", "a_tie", "b", "g"}
    assert on_front(front, "loss", "other") == {"elsewhere"}  # studies are not pooled
    (row,) = front.execute("SELECT objectives, objective_values FROM pareto_front WHERE unit_id = 't-loss-pollen-b'").fetchall()
    assert row == ("val_loss min, memory_mb min", [2.0, 5.0])


def test_a_max_objective_counts_higher_as_better_and_memory_is_the_default_second(front):
    # r (0.85, 25) is dominated by p (0.9, 20); t (0.8, 15) by q (0.8, 10); s has the best accuracy.
    assert on_front(front, "acc") == {"p", "q", "s"}
    objectives = front.execute("SELECT DISTINCT objectives FROM pareto_front WHERE block = 'acc'").fetchall()
    assert objectives == [("accuracy max, memory_mb min",)]


def test_system_objectives_are_summarised_per_trial(front):
    # Mean step time 5 (spiky) beats 6 (steady); by the worst step, 9, it would not.
    assert on_front(front, "time") == {"spiky"}
    values = dict(front.execute("SELECT unit_id, value FROM trial_objectives WHERE block = 'time' AND position = 1").fetchall())
    assert values == {"t-time-pollen-steady": 6.0, "t-time-pollen-spiky": 5.0}
    # u: best accuracy 0.9, last CPU total 2.0; v: 0.8, 3.0 (dominated by u); w: 0.9, 2.0 (equal to u).
    assert on_front(front, "three") == {"u", "w"}
    scored = front.execute("SELECT objective, value, score FROM trial_objectives "
                           "WHERE unit_id = 't-three-pollen-v' ORDER BY position").fetchall()
    assert scored == [("val_loss", 1.0, 1.0), ("accuracy", 0.8, -0.8), ("cpu_time_s", 3.0, 3.0)]


def test_the_front_follows_the_plan(front):
    """Only units of the newest run's plan count: a plan without the `acc` block has no front there."""
    front.execute("INSERT INTO runs VALUES ('r2', 'spec.bench', 'hash', ?, ?, 'finished', 'test', 'host', 1, 0, 0, NULL)",
                  [NOW + timedelta(hours=1), NOW + timedelta(hours=1)])
    front.execute("INSERT INTO planned_units SELECT 'r2', unit_id, kind, block, task, functionality, model, strategy, sample, "
                  "scores, params, level FROM planned_units WHERE run_id = 'r1' AND block = 'loss'")
    try:
        assert front.execute("SELECT DISTINCT block FROM pareto_front").fetchall() == [("loss",)]
        assert on_front(front, "loss") == {"a", "a_tie", "b", "g"}
    finally:
        front.execute("DELETE FROM planned_units WHERE run_id = 'r2'")
        front.execute("DELETE FROM runs WHERE run_id = 'r2'")



def test_a_real_run_with_two_objectives_has_the_front_computed_here(tmp_path):
    """accuracy max, step_time_ms min on real trials: the view's front against one computed
    from the raw tables (best accuracy from the summary, mean step time from the metrics)."""
    from benchrun.engine.run import run_plan

    path = tmp_path / "two.bench"
    path.write_text(SPEC.replace("[8, 32] }", "[8, 32]\n    learning_rate = [0.001, 0.01, 0.1]\n  }")
                    % "  metric accuracy, step_time_ms\n  evaluate every 3 steps\n  seed 3")
    db = tmp_path / "two.duckdb"
    summary = run_plan(build_plan(load_spec(path)), db)
    assert summary.status == "finished" and summary.done == 6, summary.error
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT u.unit_id, u.summary ->> 'best_value', avg(m.value) FROM units u "
                           "JOIN metrics m ON m.unit_id = u.unit_id AND m.name = 'step_time_ms' GROUP BY ALL").fetchall()
        front = {unit for (unit,) in con.execute("SELECT unit_id FROM pareto_front").fetchall()}
        (objectives,) = con.execute("SELECT DISTINCT objectives FROM pareto_front").fetchone()
    points = {unit: (-float(acc), ms) for unit, acc, ms in rows}  # both lower is better
    expected = {u for u, p in points.items()
                if not any(q[0] <= p[0] and q[1] <= p[1] and q != p for v, q in points.items() if v != u)}
    assert objectives == "accuracy max, step_time_ms min"
    assert front == expected and len(points) == 6 and front
