"""Factory, cache keys, and the task-aware providers."""
from __future__ import annotations

import asyncio

import attrs
import pytest

from benchrun.codegen.extract import extract_code
from benchrun.grammar.spec import Loc, ModelSpec
from benchrun.models import (
    GenerationParams,
    IdentityProvider,
    LocalProvider,
    ModelError,
    OpenAIProvider,
    OracleProvider,
    ProviderRunner,
    cache_key,
    make_provider,
)

LOC = Loc("test.bench", 1, 1)
MESSAGES = [{"role": "user", "content": "rewrite it"}]


@attrs.frozen
class Task:
    id: str = "t1"
    kind: str = "inline"
    functionality: str = "experiment_tracking"
    components: tuple = ("mlflow",)
    instruction: str = "Track it."
    inputs: dict = attrs.Factory(lambda: {"train.py": "print('input')\n"})
    entry: str = "train.py"
    reference: dict = attrs.Factory(lambda: {"train.py": "import mlflow\nprint('reference')\n"})
    docs: str = ""


def spec(kind, model=None, **options):
    return ModelSpec(kind, kind if model is None else f"{kind}:{model}", model, tuple(sorted(options.items())), LOC)


def test_oracle_and_identity_answer_from_the_task_through_the_runner():
    task = Task()
    with ProviderRunner() as runner:
        [oracle] = runner.generate(spec("oracle"), MESSAGES, 1, GenerationParams(), task=task)
        identity = runner.generate(spec("identity"), MESSAGES, 2, GenerationParams(), task=task)
        ok, _ = runner.health(spec("oracle"))
    assert extract_code(oracle.text, "train.py").code == task.reference["train.py"]
    assert [extract_code(c.text, "train.py").code for c in identity] == [task.inputs["train.py"]] * 2
    assert ok and not OracleProvider.cacheable and not IdentityProvider.cacheable


def test_task_aware_provider_without_task_is_an_error():
    with pytest.raises(ModelError, match="pass task="):
        asyncio.run(OracleProvider().generate(MESSAGES, 1, GenerationParams()))
    with pytest.raises(ModelError, match="no reference solution"):
        asyncio.run(OracleProvider().generate(MESSAGES, 1, GenerationParams(), task=Task(entry="other.py")))


def test_factory_builds_each_kind_with_its_options():
    p = make_provider(spec("openai", "gpt-4o-mini", base_url="http://h/v1", timeout=7.0, max_attempts=2, concurrency=3))
    assert isinstance(p, OpenAIProvider)
    assert (p.base_url, p.timeout_s, p.retry.max_attempts, p.bounded.limit) == ("http://h/v1", 7.0, 2, 3)
    local = make_provider(spec("local", model="/m/x.gguf", context=2048))
    assert isinstance(local, LocalProvider) and local.alias == "x" and local.context_tokens == 2048
    assert isinstance(make_provider(spec("identity")), IdentityProvider)


def test_factory_rejects_unknown_options_and_kinds():
    with pytest.raises(ModelError, match="has no option base_ur; its options: .*base_url"):
        make_provider(spec("openai", "m", base_ur="x"))
    with pytest.raises(ModelError, match="unknown model 'ollama'.*openai, vllm, local"):
        make_provider(spec("ollama", "m"))
    with pytest.raises(ModelError, match="needs a model name"):
        make_provider(spec("openai"))


def test_cache_keys_differ_by_what_decides_the_answer_and_agree_otherwise():
    openai = OpenAIProvider("gpt-4o-mini").describe()
    params = GenerationParams(temperature=0.8, max_tokens=100, seed=0)
    key = cache_key(openai, params, MESSAGES, 0)
    assert key == cache_key(OpenAIProvider("gpt-4o-mini", timeout_s=5, concurrency=9).describe(), params, list(MESSAGES), 0)
    assert len(key) == 64
    others = {
        cache_key(openai, params, MESSAGES, 1),
        cache_key(openai, attrs.evolve(params, temperature=0.2), MESSAGES, 0),
        cache_key(openai, attrs.evolve(params, seed=1), MESSAGES, 0),
        cache_key(openai, attrs.evolve(params, max_tokens=99), MESSAGES, 0),
        cache_key(openai, attrs.evolve(params, stop=("x",)), MESSAGES, 0),
        cache_key(OpenAIProvider("gpt-4o").describe(), params, MESSAGES, 0),
        cache_key(OpenAIProvider("gpt-4o-mini", base_url="http://h/v1").describe(), params, MESSAGES, 0),
        cache_key(openai, params, [{"role": "user", "content": "rewrite it!"}], 0),
    }
    assert key not in others and len(others) == 8


def test_model_error_survives_pickling_with_its_reason():
    import pickle

    error = pickle.loads(pickle.dumps(ModelError("down", "cannot connect")))
    assert (error.reason, error.message, str(error)) == ("down", "cannot connect", "down: cannot connect")
