"""The API documentation corpus, built offline from the libraries in the sandbox image,
and the strategies that read it: docprompt (the named components) and retrieval (all)."""
from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest

from benchrun.codegen.tasks import load_task
from benchrun.engine.plan import build_plan
from benchrun.grammar import parse_text
from benchrun.grammar.spec import Loc, StrategySpec
from benchrun.prompts import build_prompt, corpus

ROOT = Path(__file__).resolve().parents[2]
WINE_PARAMS = ROOT / "tasks" / "translation" / "gitpython-dvc-wine-params"

# Public API objects each component's reference must hold (what the tasks' references use).
EXPECTED = {
    "mlflow": ["mlflow.start_run", "mlflow.log_param", "mlflow.log_metric", "mlflow.sklearn.log_model",
               "mlflow.register_model", "mlflow.MlflowClient.transition_model_version_stage"],
    "wandb": ["wandb.init", "wandb.log", "wandb.Run.finish", "wandb.Artifact"],
    "optuna": ["optuna.create_study", "optuna.Study.optimize", "optuna.Trial.suggest_int", "optuna.samplers.TPESampler"],
    "dvc": ["dvc.repo.Repo.add", "dvc.repo.Repo.reproduce", "dvc.repo.stage.StageLoad.add", "dvc stage add"],
    "gitpython": ["git.Repo", "git.Repo.init", "git.Repo.create_tag", "git.IndexFile.commit"],
    "skl2onnx": ["skl2onnx.convert_sklearn", "skl2onnx.to_onnx", "skl2onnx.common.data_types.FloatTensorType"],
    "onnxruntime": ["onnxruntime.InferenceSession", "onnxruntime.quantization.quantize_dynamic"],
    "scikit-learn": ["sklearn.base.clone", "sklearn.pipeline.Pipeline"],
    "joblib": ["joblib.dump", "joblib.load"],
}


def strategy(name, **options):
    return StrategySpec(name, tuple(sorted(options.items())), Loc("t.bench", 1, 1))


def titles(chunks):
    return {c.title for c in chunks}


def installed_version(dist: str) -> str:
    image = corpus._default_image()
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    out = subprocess.run(["docker", "run", "--rm", "--network", "none", image, "python3", "-c", code],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_each_component_holds_its_public_api_objects_versioned(apidocs):
    for name, objects in EXPECTED.items():
        chunks = apidocs[name]
        missing = set(objects) - titles(chunks)
        assert not missing, f"{name} lacks {missing}"
        assert len({c.source for c in chunks}) == 1  # one version per component
    assert sum(len(c) for c in apidocs.values()) > 2000
    # the version is the installed library's (checked for two of them; one docker run each)
    for name in ("dvc", "optuna"):
        assert apidocs[name][0].source == f"{name} {installed_version(corpus.COMPONENTS[name].dist)}"
    step = next(c for c in apidocs["dvc"] if c.title == "dvc.repo.stage.StageLoad.add")
    assert "fname" in step.text and step.text.startswith("### `dvc.repo.stage.StageLoad.add(")


def test_the_reference_is_read_from_disk_once_built(apidocs, monkeypatch):
    files = sorted(corpus.cache_root().rglob("dvc-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["chunks"]
    monkeypatch.setattr(corpus, "build", lambda *a: pytest.fail("rebuilt a cached reference"))
    corpus._component_chunks.cache_clear()
    assert titles(corpus.corpus(["dvc"])) == titles(apidocs["dvc"])


def test_retrieval_finds_the_named_api_objects_among_thousands(apidocs):
    task = load_task(WINE_PARAMS)
    prompt = build_prompt(strategy("retrieval", top_k=10), task, 32_000, 1024)
    text = prompt.messages[-1]["content"]
    assert prompt.docs_chunks == 10 and not prompt.truncated
    # the instruction asks for `dvc add`, a stage and reproducing it
    found = {name for name in ("dvc add", "dvc repro", "dvc.repo.stage.StageLoad", "dvc.repo.Repo.reproduce")
             if f"### `{name}" in text}
    assert len(found) >= 2, found


def test_docprompt_gives_the_task_components_most_relevant_first_and_fits_the_context(apidocs):
    task = load_task(WINE_PARAMS)
    small = build_prompt(strategy("docprompt"), task, 8192, 1024)
    text = small.messages[-1]["content"]
    assert small.truncated and small.fits and 0 < small.docs_chunks < len(apidocs["dvc"]) + len(apidocs["gitpython"])
    assert "dropped" in small.note and 0 < small.docs_tokens <= 8192 - 1024
    assert "<!-- dvc 3." in text and "<!-- mlflow" not in text
    large = build_prompt(strategy("docprompt"), task, 200_000, 1024)
    kept = large.messages[-1]["content"]
    assert large.docs_chunks > small.docs_chunks
    # the small prompt's documentation is the large one's first chunks: least relevant dropped
    docs = text.split("## API documentation\n\n", 1)[1].split("\n\n## Input program", 1)[0]
    assert kept.split("## API documentation\n\n", 1)[1].startswith(docs)


def test_docprompt_options_change_the_prompt_exactly_when_they_change_the_unit_id(apidocs, tmp_path):
    options = ["", '(docs = "dvc")', '(docs = "gitpython")', '(docs = "mlflow")', '(docs = "optuna, wandb")']
    spec = f"""benchmark "b" {{
  tasks "{WINE_PARAMS}"
  models [openai("gpt-x", base_url = "http://127.0.0.1:1/v1")]
  strategies [{", ".join("docprompt" + o for o in options)}]
}}
"""
    units = build_plan(parse_text(spec, str(tmp_path / "s.bench"))).by_kind("codegen")
    task = load_task(WINE_PARAMS)
    prompts = {u.id: build_prompt(strategy("docprompt", **u.params["strategy"]["options"]), task, 8192, 1024).prompt_hash
               for u in units}
    assert len(units) == len(options)
    for (a, pa), (b, pb) in itertools.combinations(prompts.items(), 2):
        assert (a == b) == (pa == pb)


def test_every_task_component_has_a_reference():
    from benchrun.codegen.sources import load_paths

    folders = sorted(p.parent for p in (ROOT / "tasks").rglob("task.toml"))
    tasks = load_paths(folders)
    assert len(tasks) == len(folders)
    assert {c for t in tasks for c in t.components} <= set(corpus.COMPONENTS)
