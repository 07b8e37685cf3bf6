"""`benchrun export RUN --to mlflow DIR`: a run's trials as MLflow runs, in an MLflow
tracking store that MLflow's own client and UI read (`DIR/mlflow.db`, SQLite: MLflow 3
keeps its file store in maintenance and refuses it by default).

One MLflow experiment per tune block (named after it), one MLflow run per trial of the
run's plan, including trials an earlier run finished and this one resumed:
- params: the configuration trained (batch_size, learning_rate, alpha), epochs,
  evaluate_every, seed, split, the objective, the search method and the stop rule;
- metrics: every metric history with its steps (train_loss every step, val_loss,
  accuracy or rmse every evaluation), the system metrics as `system/<name>` (memory_mb,
  step_time_ms, cpu_pct, cpu_time_s, load_avg, ...: the names MLflow's UI shows under system
  metrics) and the summary's numbers as `summary/<name>` (best_value, peak_memory_mb, steps);
- tags: block, data set, algorithm, search method, stop reason, benchrun's run and
  unit ids, the unit's kind and status.
A trial already exported to the store (same benchrun run and unit) is skipped, so
exporting again adds only what is new. Needs the optional extra `benchrun[mlflow]`.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from benchrun.errors import BenchrunError
from benchrun.tuning.metrics import METRICS

STORE_FILE = "mlflow.db"
BATCH = 900  # MLflow takes at most 1000 entities per log_batch
RUN_TAG, UNIT_TAG = "benchrun.run_id", "benchrun.unit_id"

TRIALS_SQL = """
SELECT u.unit_id, u.kind, u.block, u.params, u.status, u.error, u.summary, u.run_id AS done_by, u.finished,
       (SELECT min(m.wall_time) FROM metrics m WHERE m.run_id = u.run_id AND m.unit_id = u.unit_id) AS started
FROM units u
WHERE u.kind IN ('trial', 'holdout') AND u.unit_id IN (SELECT unit_id FROM plan_units)
QUALIFY row_number() OVER (PARTITION BY u.unit_id ORDER BY u.status = 'done' DESC, u.finished DESC) = 1
ORDER BY u.block, u.finished
"""
METRICS_SQL = "SELECT name, step, value, wall_time FROM metrics WHERE run_id = ? AND unit_id = ? ORDER BY name, step"


class ExportError(BenchrunError):
    pass


def store_uri(folder: str | os.PathLike) -> str:
    return f"sqlite:///{Path(folder).resolve() / STORE_FILE}"


def export_run(con: Any, run_id: str, folder: str | os.PathLike) -> dict[str, int]:
    """Write run `run_id`'s trials (`con`: the results file, its views scoped to the run's
    plan) to the MLflow store in `folder`; returns counts (exported, skipped, experiments)."""
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise ExportError("exporting to MLflow needs the mlflow package: pip install 'benchrun[mlflow]' "
                          "(or pip install mlflow)") from None
    Path(folder).mkdir(parents=True, exist_ok=True)
    client = MlflowClient(tracking_uri=store_uri(folder))
    trials = _rows(con, TRIALS_SQL)
    counts = {"exported": 0, "skipped": 0, "experiments": 0}
    experiments: dict[str, str] = {}
    for trial in trials:
        block = trial["block"]
        if block not in experiments:
            experiments[block] = _experiment(client, block, Path(folder).resolve() / "artifacts" / block)
            counts["experiments"] += 1
        if _exported(client, experiments[block], run_id, trial["unit_id"]):
            counts["skipped"] += 1
            continue
        _export_trial(client, experiments[block], run_id, trial, con.execute(METRICS_SQL, [trial["done_by"], trial["unit_id"]]).fetchall())
        counts["exported"] += 1
    return counts


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _experiment(client: Any, name: str, artifacts: Path) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    return client.create_experiment(name, artifact_location=artifacts.as_uri(), tags={"benchrun.kind": "tune block"})


def _exported(client: Any, experiment: str, run_id: str, unit_id: str) -> bool:
    query = f"tags.`{RUN_TAG}` = '{run_id}' AND tags.`{UNIT_TAG}` = '{unit_id}'"
    return bool(client.search_runs([experiment], filter_string=query, max_results=1))


def _ms(moment: datetime) -> int:
    """A naive UTC timestamp of the results file as MLflow's milliseconds."""
    from datetime import UTC

    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def params_of(params: dict[str, Any], summary: dict[str, Any]) -> dict[str, str]:
    """A trial unit's params, flat, as MLflow params (strings)."""
    from benchrun.tuning.rules import rule_text

    config = summary.get("config") or params.get("config") or {}
    out: dict[str, Any] = {**{k: v for k, v in config.items()}}
    for key in ("epochs", "evaluate_every", "seed", "metric", "mode", "updates"):
        if key in params:
            out[key] = params[key]
    split = params.get("split") or {}
    out.update({f"split.{k}": v for k, v in split.items()})
    dataset = params.get("dataset") or {}
    out["dataset.kind"] = dataset.get("kind")
    out.update({f"dataset.{k}": v for k, v in (dataset.get("options") or {}).items()})
    out["search.method"] = (params.get("search") or {}).get("method")
    if params.get("stop"):
        out["stop"] = rule_text(params["stop"])
    return {k: str(v)[:6000] for k, v in out.items() if v is not None}


def tags_of(run_id: str, trial: dict[str, Any], params: dict[str, Any], summary: dict[str, Any]) -> dict[str, str]:
    dataset = (params.get("dataset") or {}).get("name")
    config = summary.get("config") or params.get("config") or {}
    name = f"{dataset}/{params.get('algorithm')}/" + ",".join(f"{k}={v}" for k, v in sorted(config.items()))
    tags = {
        "mlflow.runName": name[:250], RUN_TAG: run_id, UNIT_TAG: trial["unit_id"], "benchrun.done_by": trial["done_by"],
        "benchrun.kind": trial["kind"], "benchrun.status": trial["status"], "block": trial["block"], "dataset": dataset,
        "algorithm": params.get("algorithm"), "search": (params.get("search") or {}).get("method"),
        "stop_reason": summary.get("stop_reason") if trial["kind"] == "trial" else None,
        "error": trial["error"],
    }
    return {k: str(v)[:5000] for k, v in tags.items() if v is not None}


def metric_key(name: str) -> str:
    """`system/<name>` for a system metric (the process's or the machine's), else the name."""
    try:
        system = METRICS.get(name).system
    except Exception:  # noqa: BLE001 - a plugin's or a holdout's metric: logged under its own name
        system = False
    return f"system/{name}" if system else name


def _export_trial(client: Any, experiment: str, run_id: str, trial: dict[str, Any], metrics: list[tuple]) -> None:
    from mlflow.entities import Metric, Param, RunTag

    params = json.loads(trial["params"]) if trial["params"] else {}
    summary = json.loads(trial["summary"]) if trial["summary"] else {}
    end = _ms(trial["finished"])  # units.finished and metrics.wall_time are NOT NULL
    start = _ms(trial["started"]) if trial["started"] is not None else end  # None: the trial logged no metric
    run = client.create_run(experiment, start_time=start, tags=tags_of(run_id, trial, params, summary))
    entities: list[Any] = [Param(k, v) for k, v in params_of(params, summary).items()]
    entities += [Metric(metric_key(name), float(value), _ms(wall), int(step or 0))
                 for name, step, value, wall in metrics if value is not None]
    last_step = int(summary.get("steps") or 0)
    entities += [Metric(f"summary/{k}", float(v), end, last_step) for k, v in summary.items()
                 if isinstance(v, int | float) and not isinstance(v, bool)]
    for first in range(0, len(entities), BATCH):
        chunk = entities[first:first + BATCH]
        client.log_batch(run.info.run_id, metrics=[e for e in chunk if isinstance(e, Metric)],
                         params=[e for e in chunk if isinstance(e, Param)], tags=[e for e in chunk if isinstance(e, RunTag)])
    client.set_terminated(run.info.run_id, "FINISHED" if trial["status"] == "done" else "FAILED", end_time=end)
