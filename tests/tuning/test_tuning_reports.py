"""rq1 and rq2 on a real DuckDB results file holding real trials (local pool)."""
from __future__ import annotations

import json
import statistics
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from tuning_fixtures import LOC, Run, block, dataset

from benchrun.reports.named import parse_report, run_report
from benchrun.storage.plans import use_run_plan
from benchrun.storage.store import migrate, params_json
from benchrun.tuning.spec import Compare

REPORTS = Path(__file__).resolve().parents[2] / "benchrun" / "tuning" / "reports"


def store(con, run_id: str, run: Run) -> None:
    """Write outcomes and metrics as the run loop's writer does (same tables and columns),
    and the run's plan."""
    now = datetime.now()
    for unit in run.units:
        outcome = run.outcomes[unit.id]
        con.execute(
            "INSERT INTO units VALUES (?, ?, 'trial', ?, ?, ?, 1, ?, ?, ?)",
            [run_id, unit.id, unit.block, params_json(unit.params), outcome.status, outcome.error, now,
             params_json(outcome.summary)],
        )
        con.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)",
                        [[run_id, unit.id, step, name, value, now] for step, name, value in run.rows.get(unit.id, [])])
    plan(con, run_id, run)


def plan(con, run_id: str, *runs: Run) -> None:
    """Record `run_id` as a run whose plan is the units of `runs` (done by any run), as the
    run loop does at the start of a run; the newest plan is the one reports answer for."""
    units = [unit for run in runs for unit in run.units]
    started = datetime.now()
    con.execute("INSERT INTO runs VALUES (?, 'spec.bench', 'hash', ?, ?, 'finished', 'test', 'host', 1, ?, 0, NULL)",
                [run_id, started, started, len(units)])
    con.executemany("INSERT INTO planned_units VALUES (?, ?, 'trial', ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, NULL)",
                    [[run_id, unit.id, unit.block, params_json(unit.params)] for unit in units])


def table(con, name: str, title: str, run_id=None) -> list[dict]:
    """A report's table for the plan of `run_id` (`--run ID`), else of the newest run."""
    if run_id:
        use_run_plan(con, run_id)
    try:
        results = run_report(con, parse_report(REPORTS / f"{name}.sql"), run_id)
    finally:
        con.execute("RESET VARIABLE plan_run")
    for statement, columns, rows in results:
        if statement.title == title:
            return [dict(zip(columns, row)) for row in rows]
    raise AssertionError(f"{name} has no table {title!r}")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A grid run without rules and the same grid with a step-count rule that stops
    the small batches (many steps) but not the large ones."""
    data = [dataset("sklearn", "breast_cancer", task="classification")]
    grid = {"batch_size": [8, 64, 512], "learning_rate": [0.01, 0.1], "alpha": [1e-4]}
    free = Run(block(data, ["svm"], grid, epochs=2, evaluate_every=5, name="free"))
    ruled = Run(block(data, ["svm"], grid, epochs=2, evaluate_every=5, name="ruled",
                      stop=Compare("train_time_s", ">", 0.0, LOC)))
    con = duckdb.connect(str(tmp_path_factory.mktemp("db") / "results.duckdb"))
    migrate(con)
    store(con, "r-free", free)
    store(con, "r-ruled", ruled)
    plan(con, "r-spec", free, ruled)  # a spec with both blocks, as specs/rq2.bench has
    yield con, free, ruled
    con.close()


def test_rq1_reports_each_hyperparameter_value(results):
    con, free, _ = results
    rows = table(con, "rq1", "system cost per hyperparameter value", run_id="r-free")
    by_value = {(r["hyperparameter"], r["value"]): r for r in rows}
    # 398 training rows: a batch of 512 is clamped to 398.
    assert {v for h, v in by_value if h == "batch_size"} == {8.0, 64.0, 398.0}
    assert {v for h, v in by_value if h == "learning_rate"} == {0.01, 0.1}
    assert by_value[("learning_rate", 0.1)]["trials"] == 3 and by_value[("batch_size", 8.0)]["trials"] == 2
    assert all(r["peak_memory_mb"] >= 0 and r["step_time_ms"] > 0 for r in rows)
    # The figures are the trials' own: mean over trials of each trial's mean step time,
    # and the largest memory sample.
    for batch, expected_rows in ((8, 8.0), (512, 398.0)):
        trials = [u for u in free.units if u.params["config"]["batch_size"] == batch]
        step_ms = sum(sum(v for _, v in free.metric(u, "step_time_ms")) / len(free.metric(u, "step_time_ms"))
                      for u in trials) / len(trials)
        peak = max(v for u in trials for _, v in free.metric(u, "memory_mb"))
        assert by_value[("batch_size", expected_rows)]["step_time_ms"] == pytest.approx(step_ms, abs=1e-3)
        assert by_value[("batch_size", expected_rows)]["peak_memory_mb"] == pytest.approx(peak, abs=0.1)
    curve = table(con, "rq1", "memory by batch size", run_id="r-free")
    assert [r["batch_size"] for r in curve] == [8.0, 64.0, 398.0]


def test_rq2_counts_steps_saved_and_compares_best_configurations(results):
    con, free, ruled = results
    spent = {r["block"]: r for r in table(con, "rq2", "compute spent with stopping vs the full budget")}
    assert spent["free"]["stopped"] == 0 and spent["free"]["steps_saved_pct"] == 0
    # The rule fires at every trial's first evaluation (step 5, or the last step if sooner).
    budget = sum(o.summary["total_steps"] for o in ruled.outcomes.values())
    run_steps = sum(min(5, o.summary["total_steps"]) for o in ruled.outcomes.values())
    assert spent["ruled"]["steps_budget"] == budget and spent["ruled"]["steps_run"] == run_steps
    assert spent["ruled"]["stopped"] == 6 and spent["ruled"]["steps_saved_pct"] > 50
    (best,) = table(con, "rq2", "best configuration with and without stopping")
    assert best["trials"] == 6 and best["value_with_stopping"] >= best["value_without_stopping"]
    free_best = min(free.outcomes.values(), key=lambda o: o.summary["best_value"]).summary["best_value"]
    assert best["value_without_stopping"] == pytest.approx(free_best, abs=1e-5)


@pytest.fixture(scope="module")
def accuracy_results(tmp_path_factory):
    """Blocks whose objective is accuracy, to be maximised: a grid without rules, an Optuna
    search over the same four configurations with a rule that stops every trial at its
    first evaluation, and a block minimising val_loss with rules, which has no partner."""
    data = [dataset("sklearn", "breast_cancer", task="classification")]
    grid = {"batch_size": [8, 64], "learning_rate": [0.01, 0.5], "alpha": [1e-4]}
    common = dict(epochs=2, evaluate_every=5, metric="accuracy", mode="max")
    first_eval = Compare("train_time_s", ">", 0.0, LOC)
    free = Run(block(data, ["svm"], grid, name="acc-free", **common))
    searched = Run(block(data, ["svm"], grid, name="acc-optuna", method="optuna", samples=4,
                         search_options=(("sampler", "random"),), stop=first_eval, **common))
    loss = Run(block(data, ["svm"], grid, name="loss-ruled", epochs=2, evaluate_every=5, stop=first_eval))
    con = duckdb.connect(str(tmp_path_factory.mktemp("db") / "accuracy.duckdb"))
    migrate(con)
    for run_id, run in (("r-free", free), ("r-optuna", searched), ("r-loss", loss)):
        store(con, run_id, run)
    plan(con, "r-spec", free, searched, loss)
    yield con, free, searched
    con.close()


def config_of(outcome) -> str:
    return params_json(outcome.summary["config"])


def test_best_trials_follow_the_block_metric_and_mode(accuracy_results):
    con, free, _ = accuracy_results
    best = {r["block"]: r for r in table(con, "tuning", "best trial per block, data set and algorithm")}
    assert set(best) == {"acc-free", "acc-optuna", "loss-ruled"}  # one row per block: never pooled
    top = max(free.outcomes.values(), key=lambda o: o.summary["best_value"])
    assert best["acc-free"]["mode"] == "max" and best["acc-free"]["best_value"] == pytest.approx(top.summary["best_value"], abs=1e-4)
    assert best["acc-free"]["best_value"] > min(o.summary["best_value"] for o in free.outcomes.values())
    assert best["loss-ruled"]["metric"] == "val_loss" and best["loss-ruled"]["mode"] == "min"


def test_rq2_pairs_trials_by_configuration_and_maximises_accuracy(accuracy_results):
    con, free, searched = accuracy_results
    free_by_config = {config_of(o): o.summary for o in free.outcomes.values()}
    sampled = [config_of(o) for o in searched.outcomes.values()]
    assert set(sampled) <= set(free_by_config)  # Optuna drew from the grid's configurations

    (spent,) = table(con, "rq2", "with stopping vs the same configurations without")
    assert spent["block"] == "acc-optuna" and spent["trials_matched"] == 4
    assert spent["steps_without"] == sum(free_by_config[c]["steps"] for c in sampled)
    assert spent["steps_with"] == sum(o.summary["steps"] for o in searched.outcomes.values())
    assert spent["steps_saved_pct"] > 0

    (best,) = table(con, "rq2", "best configuration with and without stopping")  # loss-ruled has no partner
    assert (best["block"], best["mode"], best["trials"]) == ("acc-optuna", "max", 4)
    expected = max(free_by_config[c]["best_value"] for c in set(sampled))
    assert best["value_without_stopping"] == pytest.approx(expected, abs=1e-5)
    assert json.loads(best["best_without_stopping"]) == json.loads(
        next(c for c in set(sampled) if free_by_config[c]["best_value"] == expected))
    with_best = max(o.summary["best_value"] for o in searched.outcomes.values())
    assert best["value_with_stopping"] == pytest.approx(with_best, abs=1e-5)
    assert best["quality_cost"] == pytest.approx(expected - with_best, abs=1e-5)


@pytest.fixture(scope="module")
def seeded_results(tmp_path_factory):
    """One grid run with three seeds, each without rules and with a rule that stops every
    trial at its first evaluation: one block per seed and way, as specs/lempinen-run.bench."""
    data = [dataset("sklearn", "breast_cancer", task="classification")]
    grid = {"batch_size": [8, 64], "learning_rate": [0.01, 0.1], "alpha": [1e-4]}
    common = dict(epochs=2, evaluate_every=5)
    runs = {}
    for seed in (1, 2, 3):
        runs[("free", seed)] = Run(block(data, ["svm"], grid, name=f"free-{seed}", seed=seed, **common))
        runs[("ruled", seed)] = Run(block(data, ["svm"], grid, name=f"ruled-{seed}", seed=seed,
                                          stop=Compare("train_time_s", ">", 0.0, LOC), **common))
    con = duckdb.connect(str(tmp_path_factory.mktemp("db") / "seeds.duckdb"))
    migrate(con)
    for (way, seed), run in runs.items():
        store(con, f"r-{way}-{seed}", run)
    plan(con, "r-spec", *runs.values())
    yield con, runs
    con.close()


def t_interval(values: list[float]) -> tuple[float, float, float]:
    from scipy import stats

    mean, sd = statistics.mean(values), statistics.stdev(values)
    half = stats.t.ppf(0.975, len(values) - 1) * sd / len(values) ** 0.5
    return mean, mean - half, mean + half


def test_rq2_savings_over_seeds_carry_a_t_interval(seeded_results, results):
    con, runs = seeded_results
    (row,) = table(con, "rq2", "savings over seeds (95 % interval)")
    assert (row["dataset"], row["algorithm"], row["seeds"], row["trials"]) == ("breast_cancer", "svm", 3, 12)
    assert row["blocks"] == "ruled-1, ruled-2, ruled-3"
    for figure, summary_key in (("steps", "steps"), ("cpu", "cpu_time_s")):
        saved = []
        for seed in (1, 2, 3):
            spent = {way: sum(o.summary[summary_key] for o in runs[(way, seed)].outcomes.values())
                     for way in ("free", "ruled")}
            saved.append(100 * (1 - spent["ruled"] / spent["free"]))
        mean, low, high = t_interval(saved)
        assert row[f"{figure}_saved_pct"] == pytest.approx(mean, abs=0.051)
        assert row[f"{figure}_saved_low"] == pytest.approx(low, abs=0.051)
        assert row[f"{figure}_saved_high"] == pytest.approx(high, abs=0.051)
    assert table(results[0], "rq2", "savings over seeds (95 % interval)") == []  # one seed: no interval


def test_rq1_loss_by_batch_size_over_seeds_carries_a_t_interval(seeded_results):
    con, runs = seeded_results
    rows = {r["batch_size"]: r for r in table(con, "rq1", "loss and CPU time of a step by batch size over seeds (95 % interval)")}
    assert sorted(rows) == [8.0, 64.0] and all(r["seeds"] == 3 for r in rows.values())
    for batch in (8, 64):  # per seed the best over the learning rates, without rules only
        best = [min(run.outcomes[u.id].summary["best_value"] for u in run.units if u.params["config"]["batch_size"] == batch)
                for run in (runs[("free", seed)] for seed in (1, 2, 3))]
        mean, low, high = t_interval(best)
        assert rows[float(batch)]["best_value"] == pytest.approx(mean, abs=1e-5)
        assert rows[float(batch)]["best_value_low"] == pytest.approx(low, abs=1e-5)
        assert rows[float(batch)]["best_value_high"] == pytest.approx(high, abs=1e-5)
        assert rows[float(batch)]["best_value_low"] < rows[float(batch)]["best_value_high"]  # the seeds differ


def test_the_seed_tables_plot_their_intervals_as_error_bars(seeded_results):
    from benchrun.reports.charts import chart_figure

    con, _ = seeded_results
    charts = (("rq1", "loss and CPU time of a step by batch size over seeds (95 % interval)", "batch_size", "best_value"),
              ("rq2", "savings over seeds (95 % interval)", "dataset", "cpu_saved"))
    for name, title, x_column, figure_name in charts:
        use_run_plan(con, "r-spec")
        try:
            results = run_report(con, parse_report(REPORTS / f"{name}.sql"), None)
        finally:
            con.execute("RESET VARIABLE plan_run")
        statement, columns, rows = next(r for r in results if r[0].title == title)
        (trace,) = chart_figure(columns, rows, statement.chart).data
        low, high = columns.index(f"{figure_name}_low"), columns.index(f"{figure_name}_high")
        by_x = {row[columns.index(x_column)]: row for row in rows}
        assert len(trace.x) == len(by_x)
        for x, value, above, below in zip(trace.x, trace.y, trace.error_y.array, trace.error_y.arrayminus):
            assert value + above == pytest.approx(by_x[x][high]) and value - below == pytest.approx(by_x[x][low])
