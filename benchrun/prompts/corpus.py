"""The API documentation corpus: each component's reference, from the installed library.

A component's reference is built once, offline, by running `walk_api.py` in the
environment the generated programs run in (the sandbox image, with no network; or a
local interpreter, see `environment()`), and cached on disk as JSON per (environment,
component, library version). Chunks are one API object each (a module, class, function,
method, property or CLI command), named by its public path and the library's version.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import attrs

from benchrun.prompts.frame import PromptError
from benchrun.prompts.retrieval import Chunk

WALKER = Path(__file__).with_name("walk_api.py")
MARK = "@@APIDOCS@@"
BUILD_TIMEOUT_S = 600


@attrs.frozen
class Component:
    """What a task's `components` name: a distribution, the modules of its public API and
    the CLI commands whose --help the tasks may need."""

    dist: str
    modules: tuple[str, ...]
    cli: tuple[tuple[str, ...], ...] = ()


COMPONENTS: dict[str, Component] = {
    "mlflow": Component("mlflow", ("mlflow", "mlflow.sklearn", "mlflow.models", "mlflow.tracking",
                                   "mlflow.entities", "mlflow.artifacts", "mlflow.pyfunc")),
    "wandb": Component("wandb", ("wandb", "wandb.sdk.wandb_run", "wandb.sdk.wandb_config",
                                 "wandb.sdk.artifacts.artifact", "wandb.apis.public")),
    "optuna": Component("optuna", ("optuna", "optuna.samplers", "optuna.pruners", "optuna.trial",
                                   "optuna.study", "optuna.distributions", "optuna.storages")),
    "dvc": Component("dvc", ("dvc.api", "dvc.repo", "dvc.repo.stage", "dvc.stage"),
                     cli=(("dvc", "init"), ("dvc", "add"), ("dvc", "stage", "add"), ("dvc", "repro"),
                          ("dvc", "commit"), ("dvc", "params", "diff"), ("dvc", "metrics", "show"),
                          ("dvc", "exp", "run"))),
    "gitpython": Component("GitPython", ("git", "git.repo.base", "git.index.base", "git.objects.commit",
                                         "git.refs.tag", "git.remote")),
    "skl2onnx": Component("skl2onnx", ("skl2onnx", "skl2onnx.common.data_types", "skl2onnx.helpers")),
    "onnxruntime": Component("onnxruntime", ("onnxruntime", "onnxruntime.quantization")),
    "scikit-learn": Component("scikit-learn", ("sklearn.base", "sklearn.pipeline", "sklearn.model_selection",
                                               "sklearn.inspection", "sklearn.utils")),
    "joblib": Component("joblib", ("joblib",)),
    "flask": Component("Flask", ("flask",)),
    "fastapi": Component("fastapi", ("fastapi", "fastapi.testclient")),
    "uvicorn": Component("uvicorn", ("uvicorn",)),
    "scipy": Component("scipy", ("scipy.stats",)),
    "pandera": Component("pandera", ("pandera.pandas", "pandera.errors")),
}


def component(name: str) -> Component:
    if name not in COMPONENTS:
        raise PromptError(f"no API documentation for component '{name}'; documented: {', '.join(COMPONENTS)}")
    return COMPONENTS[name]


# ---------------------------------------------------------------- where the libraries are


def environment() -> tuple[str, list[str]]:
    """(cache key, command prefix) of the environment the reference is built in: the
    interpreter $BENCHRUN_APIDOCS_PYTHON if set, else the sandbox image
    $BENCHRUN_APIDOCS_IMAGE (default: the sandbox image, benchrun-sandbox:<version>-<recipe digest>) with no network."""
    python = os.environ.get("BENCHRUN_APIDOCS_PYTHON")
    if python:
        python = sys.executable if python == "local" else python
        return "python-" + hashlib.sha256(python.encode()).hexdigest()[:12], [python]
    image = os.environ.get("BENCHRUN_APIDOCS_IMAGE") or _default_image()
    image_id = _image_id(image)
    mount = f"{WALKER}:/opt/walk_api.py:ro"
    return "image-" + image_id.removeprefix("sha256:")[:12], [
        "docker", "run", "--rm", "--network", "none", "-v", mount, image, "python3"]


def _default_image() -> str:
    from benchrun.sandboxes.image import default_image

    return default_image()


def _image_id(image: str) -> str:
    out = subprocess.run(["docker", "image", "inspect", "--format", "{{.Id}}", image], capture_output=True, text=True)
    if out.returncode != 0:
        raise PromptError(f"cannot build the API documentation: sandbox image {image} is not available "
                          f"({out.stderr.strip() or 'docker failed'}); build it with `benchrun sandbox build`, "
                          "or set BENCHRUN_APIDOCS_PYTHON to an interpreter that has the libraries")
    return out.stdout.strip()


def cache_root() -> Path:
    root = os.environ.get("BENCHRUN_CACHE_DIR")
    return (Path(root) if root else Path.home() / ".cache" / "benchrun") / "apidocs"


# ---------------------------------------------------------------- building and caching

_lock = threading.Lock()


def corpus(names: tuple[str, ...] | list[str]) -> list[Chunk]:
    """The chunks of the named components, in the order named (each built once)."""
    key, command = environment()
    return [chunk for name in names for chunk in _component_chunks(key, tuple(command), name)]


def versions(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    key, command = environment()
    return {name: _load(key, tuple(command), name)["version"] for name in names}


@functools.lru_cache(maxsize=64)
def _component_chunks(key: str, command: tuple[str, ...], name: str) -> tuple[Chunk, ...]:
    data = _load(key, command, name)
    source = f"{name} {data['version']}"
    return tuple(Chunk(source, c["object"], c["text"]) for c in data["chunks"])


def _load(key: str, command: tuple[str, ...], name: str) -> dict:
    """The cached reference of `name`; built first if absent. The cache file's name holds
    the walker's digest, so changing how the reference is made rebuilds it."""
    path = cache_root() / key / f"{name}-{_walker_digest()}.json"
    with _lock:
        if not path.is_file():
            data = build(command, component(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(data))
            partial.replace(path)  # atomic: a killed build leaves no half file
    return json.loads(path.read_text())


def build(command: tuple[str, ...] | list[str], spec: Component) -> dict:
    """Run the walker in a subprocess; {"version", "chunks"} of the component."""
    walker = "/opt/walk_api.py" if command[0] == "docker" else str(WALKER)
    request = {"dist": spec.dist, "modules": list(spec.modules), "cli": [list(c) for c in spec.cli]}
    out = subprocess.run([*command, walker, json.dumps(request)], capture_output=True, text=True,
                         timeout=BUILD_TIMEOUT_S, env={**os.environ, "DVC_NO_ANALYTICS": "1", "WANDB_SILENT": "true"})
    if out.returncode != 0 or MARK not in out.stdout:
        tail = (out.stderr or out.stdout).strip()[-800:]
        raise PromptError(f"building the API documentation of {spec.dist} failed: {tail}")
    return json.loads(out.stdout.rsplit(MARK, 1)[1])


@functools.cache
def _walker_digest() -> str:
    table = json.dumps({k: attrs.asdict(v) for k, v in COMPONENTS.items()}, sort_keys=True)
    return hashlib.sha256(WALKER.read_bytes() + table.encode()).hexdigest()[:12]
