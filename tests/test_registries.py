"""Every name a registry holds is accepted by the grammar, and nothing else is: the spec
language is derived from the registries, so the two cannot drift apart."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchrun import registry
from benchrun.grammar import SpecError, parse_text
from benchrun.registry_index import load_all

TASKS = Path(__file__).resolve().parents[1] / "tasks" / "translation" / "gitpython-dvc-data-versions"
BENCHMARK = f'benchmark "b" {{\n  tasks "{TASKS}"\n  models [oracle]\n  LINE\n}}\n'
TUNE = ('tune "t" {\n  datasets [synthetic(rows = 200, features = 3)]\n  algorithms [linear_regression]\n'
        '  grid { batch_size = [32] }\n  LINE\n}\n')

# extension point -> how a spec names one entry of it (the entry with its
# required arguments: CALL), inside the block that uses it
USES = {
    "providers": BENCHMARK.replace("models [oracle]", "models [CALL]").replace("LINE", ""),
    "strategies": BENCHMARK.replace("LINE", "strategies [CALL]"),
    "sandboxes": BENCHMARK.replace("LINE", "sandbox CALL"),
    "judging": BENCHMARK.replace("LINE", "executor CALL"),
}
# Points walked elsewhere: block kinds below, the tune block's in the tuning tests.
WALKED_ELSEWHERE = {
    "blocks": "test_every_block_kind_is_a_block_keyword",
    **{point: "tests/tuning/test_tuning_registries.py"
       for point in ("algorithms", "datasets", "executors", "metrics", "rules", "searches")},
}


def example(option: registry.Option, tmp: Path) -> str:
    """A value of the option's declared type, as a spec writes it."""
    match option.type:
        case registry.Int(low, _):
            return str(int(low) if low is not None else 1)
        case registry.Number(low, high):
            return repr(float(low if low is not None else high if high is not None else 0.5))
        case registry.Text():
            return '"x"'
        case registry.Flag():
            return "on"
        case registry.Duration():
            return "5s"
        case registry.Size():
            return "1MiB"
        case registry.File(suffixes):
            path = tmp / f"file{suffixes[0] if suffixes else '.txt'}"
            path.write_text("x")
            return f'"{path}"'
        case registry.Folder():
            (tmp / "folder").mkdir(exist_ok=True)
            return f'"{tmp / "folder"}"'
        case registry.Word():
            return option.type.names()[0]
    raise AssertionError(f"no example for {option.type!r}")


def call(entry: registry.Entry, tmp: Path, name: str | None = None) -> str:
    required = [o for o in entry.options if o.required]
    args = ", ".join(f"{o.name} = {example(o, tmp)}" for o in required)
    return f"{name or entry.name}({args})" if required else (name or entry.name)


def points() -> list[str]:
    return sorted(load_all())


def test_every_extension_point_says_how_a_spec_uses_it():
    assert set(points()) <= set(USES) | set(WALKED_ELSEWHERE), "a new registry needs a line in USES"


@pytest.mark.parametrize("point", sorted(USES))
def test_every_name_of_a_registry_is_accepted_and_a_near_miss_is_not(point, tmp_path):
    registries = load_all()
    if point not in registries:
        pytest.fail(f"no registry {point}")
    for entry in registries[point]:
        text = USES[point].replace("CALL", call(entry, tmp_path))
        spec = parse_text(text, str(tmp_path / "spec.bench"))  # raises on a name the grammar refuses
        assert spec.blocks
        wrong = entry.name + "zz"
        with pytest.raises(SpecError) as refused:
            parse_text(USES[point].replace("CALL", call(entry, tmp_path, wrong)), str(tmp_path / "spec.bench"))
        assert f"'{wrong}'" in str(refused.value) and f"did you mean '{entry.name}'" in str(refused.value)


def test_every_block_kind_is_a_block_keyword(tmp_path):
    kinds = load_all()["blocks"]
    samples = {"benchmark": BENCHMARK.replace("LINE", ""), "tune": TUNE.replace("LINE", "")}
    assert set(kinds.names()) == set(samples)
    for name in kinds.names():
        spec = parse_text(samples[name], str(tmp_path / "spec.bench"))
        assert [b.kind for b in spec.blocks] == [name]
    with pytest.raises(SpecError, match="unknown block 'benchmarks' \\(did you mean 'benchmark'\\?\\)"):
        parse_text(samples["benchmark"].replace("benchmark", "benchmarks", 1), str(tmp_path / "spec.bench"))


def test_tuned_templates_can_be_written_in_a_spec(tmp_path):
    """A drift bug: the prompts package took `templates`, the grammar did not."""
    folder = tmp_path / "my_templates"
    folder.mkdir()
    text = BENCHMARK.replace("LINE", 'strategies [tuned(templates = "my_templates")]')
    spec = parse_text(text, str(tmp_path / "spec.bench"))
    assert dict(spec.blocks[0].strategies[0].options) == {"templates": "my_templates"}
    with pytest.raises(SpecError, match='folder not found: "elsewhere"'):
        parse_text(text.replace("my_templates", "elsewhere"), str(tmp_path / "spec.bench"))
