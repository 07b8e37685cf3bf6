"""Which stop rules would have saved the most on a run without rules, keeping its best
configurations? Replays every trial of the no-rules blocks of a results file through
benchrun's own rule code (`TrialRules`), evaluation by evaluation, for each candidate
rule set, and prints the steps each would save and whether any (data set, algorithm)
would then pick another best configuration.

    python bench/rq2_rules.py rq2.duckdb [--blocks rq2-small-no-rules,rq2-large-no-rules]

The replay is exact for rules on the ML metrics (the same evaluations at the same steps);
rules on step time or CPU replay the times measured in that run, which vary with the
machine's load. Confirm a chosen set by running it (specs/rq2.bench has it).
"""
from __future__ import annotations

import argparse
import itertools
import json
from collections import defaultdict

import duckdb

from benchrun.tuning.rules import TrialRules, rule_text


def load(db: str, blocks: list[str] | None):
    with duckdb.connect(db, read_only=True) as con:
        trials = con.execute(
            "SELECT unit_id, block, params, summary FROM unit_results WHERE kind = 'trial' AND params ->> 'stop' IS NULL"
        ).fetchall()
        rows = con.execute(
            "SELECT m.unit_id, m.step, m.name, m.value FROM metrics m JOIN unit_results u USING (run_id, unit_id) "
            "WHERE u.kind = 'trial' AND m.name <> 'train_loss' ORDER BY m.unit_id, m.step"
        ).fetchall()
    series: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for unit, step, name, value in rows:
        series[unit][step][name] = value
    out = []
    for unit, block, params, summary in trials:
        if blocks and block not in blocks:
            continue
        params, summary = json.loads(params), json.loads(summary)
        evaluations = [{"step": s, **series[unit][s]} for s in sorted(series[unit])]
        out.append((unit, block, params, summary, evaluations))
    return out


def replay(trial, rule) -> tuple[int, float | None, float]:
    """(steps run, best objective, CPU seconds) had `rule` been in force."""
    _, _, params, summary, evaluations = trial
    rules = TrialRules(rule, params["metric"], params["mode"])
    larger = params["mode"] == "max"
    best = None
    for result in evaluations:
        value = result.get(params["metric"])
        if value is not None and value == value and (best is None or (value > best if larger else value < best)):
            best = value
        if rules.check(result):
            return result["step"], best, result.get("cpu_time_s", 0.0)
    return summary["steps"], summary.get("best_value"), summary.get("cpu_time_s", 0.0)


def outcome(trials, rule):
    """Savings of `rule` over `trials`, and the (block, data set, algorithm) whose best
    configuration it changes: none of the configurations tied for best with the rule is
    best without it (batch size changes no SGD update, so ties are common)."""
    steps = cpu = full_steps = full_cpu = 0.0
    groups: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    stopped = 0
    for trial in trials:
        _, block, params, summary, _ = trial
        run, value, seconds = replay(trial, rule)
        stopped += run < summary["steps"]
        steps, cpu = steps + run, cpu + seconds
        full_steps, full_cpu = full_steps + summary["steps"], full_cpu + summary.get("cpu_time_s", 0.0)
        sign = -1 if params["mode"] == "max" else 1
        if value is not None and summary.get("best_value") is not None:
            groups[(block, params["dataset"]["name"], params["algorithm"])].append((sign * value, sign * summary["best_value"]))
    changed = []
    for key, pairs in groups.items():
        best_with = min(w for w, _ in pairs)
        chosen = min(f for w, f in pairs if w - best_with <= 1e-12)
        if chosen - min(f for _, f in pairs) > 1e-12:
            changed.append(key)
    return {"stopped": stopped, "steps_saved_pct": 100 * (1 - steps / full_steps),
            "cpu_saved_pct": 100 * (1 - cpu / full_cpu) if full_cpu else 0.0, "changed": changed}


def candidates():
    """No-improvement (plateau) rules of several patiences and tolerances, alone and with
    a step-time bound."""
    for evaluations, delta in itertools.product((1, 2, 3, 4, 6), (0.0, 1e-3, 1e-2, 3e-2)):
        plateau = {"rule": "no_improvement", "metric": "val_loss", "evaluations": evaluations, "min_delta": delta}
        yield plateau
        for bound in (5.0, 10.0, 20.0):
            yield {"rule": "any", "rules": [plateau, {"rule": "compare", "metric": "step_time_ms", "op": ">", "value": bound}]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--blocks", help="comma-separated no-rules blocks (default: all)")
    args = parser.parse_args()
    trials = load(args.db, args.blocks.split(",") if args.blocks else None)
    print(f"{len(trials)} trials without rules")
    results = [(rule, outcome(trials, rule)) for rule in candidates()]
    results.sort(key=lambda r: (bool(r[1]["changed"]), -r[1]["steps_saved_pct"]))
    print(f"{'steps saved':>11} {'cpu saved':>9} {'stopped':>7} {'best changed':>12}  rule")
    for rule, r in results[:15]:
        print(f"{r['steps_saved_pct']:10.1f}% {r['cpu_saved_pct']:8.1f}% {r['stopped']:7d} {len(r['changed']):12d}  {rule_text(rule)}")


if __name__ == "__main__":
    main()
