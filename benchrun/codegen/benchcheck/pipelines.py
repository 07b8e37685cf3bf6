"""Multi-stage DVC pipelines and DVC experiments, read back through DVC's own API
(`Repo.index`, `Repo.experiments`, `dvc.api.params_show` / `metrics_show`), imported only
when used. A pipeline task's check states the stages, the params, the experiments and a
function that recomputes the metrics from the params; `check_experiments` does the rest."""
from __future__ import annotations

import csv
import io
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
    return {address for node in nx.descendants(graph, nodes[name])
            if (address := getattr(node, "addressing", None)) is not None}


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


def top_level_plot_files(definitions) -> set[str]:
    """The files a dvc.yaml `plots:` section names: each plot's id when its `x`/`y` name no
    files (`- eval/roc.csv: {x: fpr, y: tpr}`, or a bare path), else the files they name
    (`- roc: {x: fpr, y: {eval/roc.csv: tpr}}`)."""
    files: set[str] = set()
    for entry in definitions or ():
        if isinstance(entry, str):
            files.add(entry)
            continue
        if not isinstance(entry, dict):
            continue
        for plot_id, props in entry.items():
            axes = [props.get(axis) for axis in ("x", "y")] if isinstance(props, dict) else []
            named = {str(path) for axis in axes if isinstance(axis, dict) for path in axis}
            files |= named or {str(plot_id)}
    return files


def declared_plots(repo) -> set[str]:
    """The files DVC treats as plots: stage outputs marked as plots (`plots:`, `--plots`)
    and the files of dvc.yaml's top-level `plots:` definitions."""
    paths = {str(out) for stage in repo.index.stages for out in stage.outs if getattr(out, "plot", False)}
    # {dvc.yaml path: [definitions]}; no public accessor gives the raw definitions.
    for definitions in (getattr(repo.index, "_plots", None) or {}).values():
        paths |= top_level_plot_files(definitions)
    return paths


def require_plots(repo, paths) -> None:
    """Each of `paths` is a DVC plot, of a stage or of dvc.yaml's `plots:`."""
    declared = declared_plots(repo)
    missing = [path for path in paths if path not in declared]
    if missing:
        fail(f"DVC does not know {missing} as plots (plots: {sorted(declared) or 'none'}): declare them as a stage's "
             f"plots or in dvc.yaml's plots")


def csv_rows(text: str, what: str) -> list[dict]:
    """The rows of a CSV text as dicts, numeric cells as floats (`inf` too); fail() if empty."""
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        parsed: dict[str, object] = {}
        for key, cell in row.items():
            try:
                parsed[key] = float(cell)
            except (TypeError, ValueError):
                parsed[key] = cell
        rows.append(parsed)
    if not rows:
        fail(f"{what} has no rows")
    return rows


def dvc_csv(path: str, rev: str | None = None) -> list[dict]:
    """The CSV file `path` as DVC gives it back at `rev` (a commit, an experiment, or the
    workspace), as csv_rows."""
    import dvc.api

    what = f"{path} at {rev or 'the workspace'}"
    try:
        text = dvc.api.read(path, rev=rev)
    except Exception as error:  # noqa: BLE001  not there at that revision
        fail(f"DVC cannot give back {what}: {type(error).__name__}: {error}")
    return csv_rows(text, what)


def require_curve(rows: list[dict], x: str, y: str, full, kept, what: str, tol: float = 1e-6) -> None:
    """The rows' (x, y) points lie on the curve `full` (every point, as pairs) and include
    each point of `kept` (the curve with intermediate points dropped): a curve with or
    without its collinear points passes, another curve does not."""
    if not all(x in row and y in row for row in rows):
        fail(f"{what}: every row needs the columns {x} and {y} (columns: {sorted(rows[0])})")
    points = [(row[x], row[y]) for row in rows]
    if not all(isinstance(value, float) for point in points for value in point):
        fail(f"{what}: the columns {x} and {y} must be numbers")

    def near(a, b):
        return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol

    stray = [point for point in points if not any(near(point, other) for other in full)]
    if stray:
        fail(f"{what}: {len(stray)} points ({x}, {y}) are not on the curve the pipeline gives with these params, "
             f"e.g. {stray[0]}")
    absent = [point for point in kept if not any(near(point, other) for other in points)]
    if absent:
        fail(f"{what}: {len(absent)} points of the curve the pipeline gives with these params are missing, "
             f"e.g. {tuple(float(v) for v in absent[0])}")
