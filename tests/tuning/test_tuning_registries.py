"""The tuning registries are the one list of what a tune block may name: every entry is
accepted by the grammar where a spec names it, a near miss is refused with did-you-mean,
the docs' tables list exactly the entries, and the metrics are what a trial reports."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tuning_fixtures import Run, block, dataset

from benchrun import registry
from benchrun.errors import BenchrunError
from benchrun.grammar import SpecError, parse_text
from benchrun.tuning.algorithms import ALGORITHMS
from benchrun.tuning.datasets import DATASETS
from benchrun.tuning.executors import EXECUTORS
from benchrun.tuning.metrics import METRICS
from benchrun.tuning.rules import RULES
from benchrun.tuning.search import SEARCHES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "tuning.md"
SPACE = "grid { learning_rate = [0.1] }"
ALL = "[linear_regression, logistic_regression, svm]"


def literal(option: registry.Option, tmp_path: Path, entry: registry.Entry) -> str:
    """A value the option accepts, written as a spec writes it."""
    kind = option.type
    if isinstance(kind, registry.Word):
        return kind.names()[0]
    if isinstance(kind, (registry.Int, registry.Number)):
        return str(kind.low if kind.low is not None else 1)
    if isinstance(kind, registry.Flag):
        return "true"
    if isinstance(kind, registry.Duration):
        return "1s"
    if isinstance(kind, registry.Size):
        return "1MiB"
    if isinstance(kind, registry.Model):
        return "local()"
    if isinstance(kind, registry.Folder):
        return '"."'
    if isinstance(kind, registry.File):
        path = tmp_path / f"data{kind.suffixes[0] if kind.suffixes else '.txt'}"
        path.write_text("a,y\n1,2\n")
        return f'"{path}"'
    catalogue = getattr(entry, "catalogue", None)
    if option.name == "name" and catalogue is not None and catalogue():
        return f'"{next(iter(catalogue()))}"'
    return '"x"'


def written(entry: registry.Entry, tmp_path: Path, bare: bool = False) -> str:
    """The entry as a spec calls it, with a value for each required option."""
    required = [o for o in entry.options if o.required]
    if bare and not required:
        return entry.name
    args = ", ".join(f"{o.name} = {literal(o, tmp_path, entry)}" for o in required)
    return f"{entry.name}({args})"


def tune(tmp_path: Path, body: str, datasets: str | None = '[sklearn("iris")]', algorithms: str = "[svm]",
         search: str = SPACE) -> str:
    listed = f"  datasets {datasets}\n" if datasets else ""
    return f'tune "t" {{\n{listed}  algorithms {algorithms}\n  {search}\n{body}\n}}\n'


def parse(tmp_path: Path, text: str):
    return parse_text(text, str(tmp_path / "t.bench")).blocks[0]


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, text)
    return "\n".join(e.message for e in caught.value.errors)


def near_miss(name: str) -> str:
    return name + name[-1]


# ---------------------------------------------------------------- every name, and near misses


@pytest.mark.parametrize("name", METRICS.names())
def test_every_metric_is_accepted_in_rules_and_as_the_objective(tmp_path, name):
    block_ = parse(tmp_path, tune(tmp_path, f"  stop when {name} > 1 or no_improvement({name})\n  metric {name}"))
    assert block_.stop.rules[0].metric == name and dict(block_.stop.rules[1].args)["metric"] == name
    assert block_.metric == name and block_.mode == ("max" if METRICS.get(name).higher_is_better else "min")
    for text in (f"  stop when {near_miss(name)} > 1", f"  stop when no_improvement({near_miss(name)})",
                 f"  metric {near_miss(name)}"):
        assert f"unknown metric '{near_miss(name)}' (did you mean '{name}'?); metrics: " in refused(tmp_path, tune(tmp_path, text))


@pytest.mark.parametrize("name", ALGORITHMS.names())
def test_every_algorithm_is_accepted(tmp_path, name):
    task = ALGORITHMS.get(name).task
    data = f"[synthetic(rows = 10, features = 2, task = {task})]"
    assert parse(tmp_path, tune(tmp_path, "", data, f"[{name}]")).algorithms == (name,)
    message = refused(tmp_path, tune(tmp_path, "", data, f"[{near_miss(name)}]"))
    assert f"unknown algorithm '{near_miss(name)}' (did you mean '{name}'?); algorithms: " in message


@pytest.mark.parametrize("name", DATASETS.names())
def test_every_data_set_source_is_accepted(tmp_path, name):
    source = DATASETS.get(name)
    call = written(source, tmp_path)
    (got,) = parse(tmp_path, tune(tmp_path, "", f"[{call}]", ALL)).datasets
    assert got.kind == name
    defined = parse(tmp_path, f"dataset mine = {call}\n" + tune(tmp_path, "  use mine", None, ALL))
    assert [(d.kind, d.name) for d in defined.datasets] == [(name, "mine")]
    message = refused(tmp_path, tune(tmp_path, "", f"[{near_miss(name)}{call[len(name):]}]", ALL))
    assert f"unknown data set kind '{near_miss(name)}' (did you mean '{name}'?); datasets: " in message


@pytest.mark.parametrize("name", SEARCHES.names())
def test_every_search_method_is_accepted(tmp_path, name):
    method = SEARCHES.get(name)
    for head in {written(method, tmp_path), written(method, tmp_path, bare=True)}:
        search = parse(tmp_path, tune(tmp_path, "", search=f"{head} {{ learning_rate = [0.1, 0.2] }}")).search
        assert search.method == name and [p.name for p in search.space] == ["learning_rate"]
    message = refused(tmp_path, tune(tmp_path, "", search=f"{near_miss(name)} {{ learning_rate = [0.1] }}"))
    assert f"unknown search method '{near_miss(name)}' (did you mean '{name}'?); searches: " in message


@pytest.mark.parametrize("name", RULES.names())
def test_every_stop_rule_is_accepted(tmp_path, name):
    call = written(RULES.get(name), tmp_path)
    stop = parse(tmp_path, tune(tmp_path, f"  stop when {call}")).stop
    assert stop.name == name and set(dict(stop.args)) == {o.name for o in RULES.get(name).options}
    message = refused(tmp_path, tune(tmp_path, f"  stop when {near_miss(name)}{call[len(name):]}"))
    assert f"unknown stop rule '{near_miss(name)}' (did you mean '{name}'?); rules: " in message


@pytest.mark.parametrize("name", EXECUTORS.names())
def test_every_executor_is_accepted(tmp_path, name):
    call = written(EXECUTORS.get(name), tmp_path)
    assert parse(tmp_path, tune(tmp_path, f"  executor {call}")).executor.kind == name
    message = refused(tmp_path, tune(tmp_path, f"  executor {near_miss(name)}{call[len(name):]}"))
    assert f"unknown executor '{near_miss(name)}' (did you mean '{name}'?); executors: " in message


def test_nothing_outside_the_registries_is_accepted(tmp_path):
    cases = {
        "  stop when loss > 1": "unknown metric 'loss'",
        "  metric f1": "unknown metric 'f1'",
        "  stop when plateau(val_loss)": "unknown stop rule 'plateau'",
        "  executor dask(max_concurrent = 2)": "unknown executor 'dask'",
    }
    for body, message in cases.items():
        assert message in refused(tmp_path, tune(tmp_path, body))
    assert "unknown algorithm 'random_forest'" in refused(tmp_path, tune(tmp_path, "", algorithms="[random_forest]"))
    assert "unknown data set kind 'openml'" in refused(tmp_path, tune(tmp_path, "", datasets='[openml("iris")]'))


def test_an_unknown_search_method_is_refused_at_check_time(tmp_path):
    text = tune(tmp_path, "", search="halton(samples = 8) {\n    learning_rate = loguniform(0.001, 0.1)\n  }")
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, text)
    (error,) = caught.value.errors  # not also "missing a search space"
    assert (error.loc.line, error.loc.column) == (4, 3)
    assert error.message == "unknown search method 'halton'; searches: grid, random, optuna, llm"


# ---------------------------------------------------------------- cpu_time_s (documented, once refused)


def test_a_cpu_time_rule_validates_and_stops_a_trial_at_the_first_evaluation_over_it(tmp_path):
    text = tune(tmp_path, "  epochs 3\n  evaluate every 25 steps\n  stop when cpu_time_s > 0.3\n  seed 7",
                datasets="[synthetic(rows = 20000, features = 20, task = classification)]",
                algorithms="[logistic_regression]", search="grid { batch_size = [16] }")
    tune_block = parse(tmp_path, text)
    run = Run(tune_block)
    (unit,) = run.units
    summary = run.outcomes[unit.id].summary
    cpu = run.metric(unit, "cpu_time_s")
    over = [step for step, seconds in cpu if seconds > 0.3]
    assert over, f"the trial never used 0.3 CPU seconds: {cpu}"
    assert summary["stop_reason"] == "cpu_time_s > 0.3"
    assert summary["stopped_at_step"] == over[0] == cpu[-1][0] < summary["total_steps"]
    assert all(seconds <= 0.3 for _, seconds in cpu[:-1])  # every evaluation before it was under the bound


# ---------------------------------------------------------------- the registries against the trial and the docs


def test_the_metrics_are_what_a_trial_reports():
    for data, algorithm, quality in ((dataset("sklearn", "iris", task="classification"), "svm", "accuracy"),
                                     (dataset("sklearn", "diabetes", task="regression"), "linear_regression", "rmse")):
        reported: list[dict] = []
        from benchrun.tuning.plan import trial_units
        from benchrun.tuning.trainable import prepare, run_trial

        (unit,) = trial_units(block([data], [algorithm], {"batch_size": [16]}, evaluate_every=3))
        params = unit.params
        run_trial(params, prepare(params["dataset"], params["split"], params["seed"]), reported.append)
        other = {"accuracy", "rmse"} - {quality}
        assert set(METRICS.names()) - other <= set(reported[-1]), set(METRICS.names()) - set(reported[-1])
        assert not other & set(reported[-1])


def _table(heading: str) -> list[list[str]]:
    """The rows (cells) of the first table after `heading` in docs/tuning.md."""
    lines = DOCS.read_text().splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif rows:
            break
    return rows[2:]  # without the header and the separator


def _first_name(cell: str) -> str:
    return re.match(r"`([a-z_][a-z0-9_]*)", cell).group(1)


@pytest.mark.parametrize("heading, registry_", [
    ("## Data sets", DATASETS), ("## Algorithms and protocol", ALGORITHMS), ("## Metrics", METRICS),
    ("## Stopping rules", RULES), ("### Search methods", SEARCHES), ("### Executors", EXECUTORS),
])
def test_the_docs_tables_list_every_entry_with_its_options(heading, registry_):
    rows = _table(heading)
    assert [_first_name(row[0]) for row in rows] == list(registry_.names())
    for row in rows:
        entry = registry_.get(_first_name(row[0]))
        text = " ".join(row)
        for option in entry.options:
            assert re.search(rf"\b{option.name}\b", text), f"{entry.name}: option {option.name} is not in the docs"


def test_the_docs_metrics_table_gives_each_unit_and_direction():
    for row in _table("## Metrics"):
        metric = METRICS.get(_first_name(row[0]))
        assert row[1].strip("`") == (metric.unit or "—"), metric.name
        assert row[2] == ("higher" if metric.higher_is_better else "lower"), metric.name


# ---------------------------------------------------------------- the block kind


def test_the_tune_block_kind_names_its_workloads():
    from benchrun.blocks import BLOCKS
    from benchrun.tuning.block import TUNE
    from benchrun.tuning.holdout import HoldoutWorkload
    from benchrun.tuning.plan import HOLDOUT, TRIAL
    from benchrun.tuning.workload import TuneWorkload

    assert BLOCKS._builtins["tune"] == "benchrun.tuning.block:TUNE" and TUNE.name == "tune"
    assert TUNE.workloads == {TRIAL: "benchrun.tuning.workload:TuneWorkload",
                              HOLDOUT: "benchrun.tuning.holdout:HoldoutWorkload"}
    assert (TuneWorkload.kind, HoldoutWorkload.kind) == (TRIAL, HOLDOUT)
    assert [d.kind for d in TUNE.definitions] == ["dataset"]
    assert TUNE.results_hint("s.bench", " --db r.duckdb") == 'benchrun sql "SELECT * FROM trial_summary" --spec s.bench --db r.duckdb'


def test_checking_a_tune_block_imports_nothing_heavy(tmp_path):
    spec = tmp_path / "t.bench"
    spec.write_text(tune(tmp_path, "  stop when cpu_time_s > 5 or no_improvement(val_loss)\n  executor ray",
                         datasets='[sklearn("iris"), pmlb("diabetes"), synthetic(rows = 10, features = 2)]', algorithms=ALL,
                         search="optuna(samples = 3, scheduler = asha) { learning_rate = loguniform(0.001, 0.1) }"))
    code = ("import sys\nfrom benchrun.grammar.parser import parse_module\nfrom benchrun.grammar.validate import Context\n"
            "from benchrun.tuning.block import TUNE\n"
            f"path = {str(spec)!r}\nctx = Context(path, {str(tmp_path)!r})\n"
            "assert TUNE.check(ctx, parse_module(open(path).read(), path).items[0]) is not None, ctx.errors\n"
            "print(sorted(m for m in ('sklearn', 'optuna', 'ray', 'pandas', 'pmlb', 'psutil') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_every_tuning_error_is_a_benchrun_error():
    from benchrun.tuning.algorithms import AlgorithmError
    from benchrun.tuning.datasets import DatasetError
    from benchrun.tuning.holdout import HoldoutError
    from benchrun.tuning.rules import RuleError
    from benchrun.tuning.trainable import TrialError

    for error in (AlgorithmError, DatasetError, HoldoutError, RuleError, TrialError):
        assert issubclass(error, BenchrunError), error
    for error in (AlgorithmError, DatasetError, RuleError, TrialError):
        assert issubclass(error, ValueError), error  # callers catch ValueError
