"""Multi-stage DVC pipelines and DVC experiments, read back through DVC's own API
(`Repo.index`, `Repo.experiments`, `dvc.api.params_show` / `metrics_show`), imported only
when used. A pipeline task's check states the stages, the params, the experiments and a
function that recomputes the metrics from the params; `check_experiments` does the rest."""
from __future__ import annotations

import math
import shlex

from .dvc import dvc_stage
from .judge import fail


def flatten(tree, prefix: str = "") -> dict:
    """{"train": {"C": 1.0}} -> {"train.C": 1.0}: params and metrics by their dotted key."""
    if not isinstance(tree, dict):
        return {prefix: tree} if prefix else {}
    out = {}
    for key, value in tree.items():
        out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def stage_words(stage) -> list[str]:
    """The stage's command as words, `python` spelt `python3` and `./script.py` as `script.py`."""
    cmd = stage.cmd or ""
    if isinstance(cmd, (list, tuple)):
        cmd = " && ".join(cmd)
    try:
        words = shlex.split(cmd)
    except ValueError:
        words = cmd.split()
    if words and words[0] in ("python", "python3"):
        words[0] = "python3"
    return [word[2:] if word.startswith("./") else word for word in words]


def stage_params(stage) -> set[str]:
    """The params keys the stage declares, from whichever params files."""
    return {key for dep in stage.deps for key in (getattr(dep, "params", None) or ())}


def upstream_stages(repo, name: str) -> set[str]:
    """The stages `name` depends on in DVC's graph, directly or through others (DVC links a
    stage to the stages whose outputs it lists as dependencies)."""
    import networkx as nx

    graph = repo.index.graph
    nodes = {getattr(node, "addressing", None): node for node in graph.nodes}
    if name not in nodes:
        fail(f"no stage `{name}` in DVC's graph (stages: {sorted(n for n in nodes if n)})")
    # Edges go from a stage to the stages it depends on.
    return {getattr(node, "addressing", None) for node in nx.descendants(graph, nodes[name])} - {None}


def require_pipeline(repo, stages: dict, chain=(), commands=None, params_file: str | None = None) -> dict:
    """Every stage of `stages` (name -> dvc_stage's deps/outs/metrics/params) is in dvc.yaml;
    each stage of `chain` depends, in DVC's graph, on the one before it; `commands` (name ->
    command) are the stages' commands; with `params_file`, the params are read from that
    file. Returns the stages by name."""
    found = {}
    for name, spec in stages.items():
        spec = dict(spec)
        wanted = spec.pop("params", ())
        found[name] = stage = dvc_stage(repo, name, **spec)
        declared = stage_params(stage)
        # A key is declared by itself or by a section above it (`train` covers `train.C`).
        missing = [key for key in wanted
                   if not any(key == have or key.startswith(have + ".") for have in declared)]
        if missing:
            fail(f"stage `{name}` does not declare the params {missing} (params: {sorted(declared)})")
    for before, after in zip(chain, chain[1:]):
        if before not in upstream_stages(repo, after):
            fail(f"in DVC's graph stage `{after}` does not depend on stage `{before}`: "
                 f"list an output of `{before}` among the dependencies of `{after}`")
    for name, expected in (commands or {}).items():
        if stage_words(found[name]) != expected.split():
            fail(f"stage `{name}` runs {found[name].cmd!r}, expected `{expected}`")
    if params_file is not None:
        for name, stage in found.items():
            for dep in stage.deps:
                if getattr(dep, "params", None) and str(dep) != params_file:
                    fail(f"stage `{name}` reads its params from {dep}, expected {params_file}")
    return found


def dvc_params(rev: str | None = None) -> dict:
    """The params DVC tracks (every params file the stages declare) at `rev`, by dotted key."""
    import dvc.api

    try:
        return flatten(dvc.api.params_show(rev=rev))
    except Exception as error:  # noqa: BLE001  no such revision, a broken params file
        fail(f"DVC cannot show the params at {rev or 'the workspace'}: {type(error).__name__}: {error}")


def dvc_metrics(rev: str | None = None) -> dict:
    """The metrics of the pipeline's metrics files at `rev`, by dotted key."""
    import dvc.api

    try:
        return flatten(dvc.api.metrics_show(rev=rev))
    except Exception as error:  # noqa: BLE001
        fail(f"DVC cannot show the metrics at {rev or 'the workspace'}: {type(error).__name__}: {error}")


def dvc_experiments(repo) -> dict:
    """Every experiment DVC keeps, on any baseline commit: name -> (baseline sha, sha).
    fail() if a name is used twice (the check could not tell which one is meant)."""
    try:
        listed = repo.experiments.ls(all_commits=True)
    except Exception as error:  # noqa: BLE001  no commit at all: DVC cannot list experiments
        fail(f"DVC cannot list the experiments: {type(error).__name__}: {error}")
    found: dict = {}
    for baseline, exps in listed.items():
        for name, sha in exps:
            if name in found:
                fail(f"two DVC experiments are named {name!r}")
            found[name] = (baseline, sha)
    return found


def same_value(a, b, rel: float = 1e-9) -> bool:
    """Params compare as numbers when both are numbers (YAML's 1 and 1.0), else as values."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
    return a == b


def require_params(found: dict, expected: dict, what: str) -> None:
    """fail() unless `found` (dotted key -> value) holds each of `expected`."""
    wrong = {key: found.get(key, "<absent>") for key, value in expected.items()
             if key not in found or not same_value(found[key], value)}
    if wrong:
        fail(f"{what}: params {wrong}, expected {({key: expected[key] for key in wrong})}")


def require_metrics(found: dict, expected: dict, what: str, abs_tol: float = 1e-4) -> None:
    """fail() unless each metric of `expected` is in `found`, within `abs_tol`."""
    for name, value in expected.items():
        have = found.get(name)
        if not isinstance(have, (int, float)) or isinstance(have, bool) or not math.isclose(
                have, value, rel_tol=1e-6, abs_tol=abs_tol):
            fail(f"{what}: DVC reports {name} = {have!r}, the pipeline with these params gives {value:.6f}")


def check_experiments(repo, *, baseline: dict, experiments: dict, metrics, abs_tol: float = 1e-4) -> dict:
    """Each experiment of `experiments` (name -> the params it sets, dotted keys) exists
    in DVC, once; its baseline commit has the `baseline` params and the metrics
    `metrics(params)` gives for them; the experiment has the same params but those it sets
    and the metrics `metrics` gives for its own. Returns name -> (baseline sha, sha)."""
    found = dvc_experiments(repo)
    for name, changes in experiments.items():
        if name not in found:
            fail(f"no DVC experiment named {name!r} (experiments: {sorted(found) or 'none'})")
        base_rev, rev = found[name]
        base_params, params = dvc_params(base_rev), dvc_params(rev)
        require_params(base_params, baseline, f"the baseline commit of experiment {name!r}")
        require_metrics(dvc_metrics(base_rev), metrics(base_params),
                        f"the baseline commit of experiment {name!r}", abs_tol)
        require_params(params, changes, f"experiment {name!r}")
        others = {key: value for key, value in base_params.items() if key not in changes}
        require_params(params, others, f"experiment {name!r} changes only {sorted(changes)}, but")
        require_metrics(dvc_metrics(rev), metrics(params), f"experiment {name!r}", abs_tol)
    return found


def check_probe(repo, name: str, changes: dict, metrics, abs_tol: float = 1e-4) -> None:
    """The experiment `name`, run by one of the task's `after` commands with the params
    `changes`, holds them and the metrics `metrics` gives for its params: DVC itself reran
    the pipeline from its params, with values the program never saw."""
    found = dvc_experiments(repo)
    if name not in found:
        fail(f"DVC did not record the experiment {name!r} that the after command ran")
    params = dvc_params(found[name][1])
    require_params(params, changes, f"experiment {name!r}")
    require_metrics(dvc_metrics(found[name][1]), metrics(params), f"experiment {name!r} (run by DVC after the program)",
                    abs_tol)


def check_workspace(metrics, abs_tol: float = 1e-4) -> None:
    """The workspace's metrics are those `metrics` gives for its params (after a task's
    `after` command had DVC rerun the pipeline there)."""
    require_metrics(dvc_metrics(), metrics(dvc_params()), "the workspace (the pipeline rerun by DVC)", abs_tol)
