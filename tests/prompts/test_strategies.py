"""Prompting strategies: what each puts in the prompt, retrieval ranking, truncation."""
from __future__ import annotations

import attrs
import pytest

from benchrun.codegen.extract import extract_code
from benchrun.grammar.spec import Loc, StrategySpec
from benchrun.prompts import TEMPLATES, PromptError, build_prompt, chunk_markdown, estimate_tokens, rank

LOC = Loc("test.bench", 1, 1)
INSTRUCTION = "Replace the GitPython version control of data files with DVC tracking."
CODE = "import subprocess\nfrom git import Repo\n\nrepo = Repo.init('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('add data')\n"
DOCS = """# DVC API

## dvc add
`dvc add data.csv` starts tracking a data file: it writes data.csv.dvc and adds data.csv to .gitignore.

## dvc push
Uploads tracked files to remote storage.

## dvc.yaml stages
A stage has cmd, deps and outs. `dvc stage add -n train -d data.csv python train.py`.

## dvc exp show
Shows a table of experiments and their metrics.
"""


@attrs.frozen
class Task:
    id: str = "translate-1"
    kind: str = "translate"
    functionality: str = "translation"
    components: tuple = ("gitpython", "dvc")
    instruction: str = INSTRUCTION
    inputs: dict = attrs.Factory(lambda: {"version.py": CODE, "helper.py": "X = 1\n"})
    entry: str = "version.py"
    reference: dict = attrs.Factory(dict)
    docs: str = DOCS


def strategy(name, **options):
    return StrategySpec(name, tuple(sorted(options.items())), LOC)


def user(prompt):
    return prompt.messages[-1]["content"]


def test_zero_shot_has_instruction_and_every_input_and_asks_for_one_block():
    prompt = build_prompt(strategy("zero_shot"), Task(), 4096, 512)
    system, text = prompt.messages[0]["content"], user(prompt)
    assert [m["role"] for m in prompt.messages] == ["system", "user"]
    assert "`version.py` in one ```python fenced code block" in system
    assert INSTRUCTION in text and CODE.strip() in text and "X = 1" in text
    assert text.index("### `version.py`") < text.index("### `helper.py`")  # entry first
    assert "API documentation" not in text and "dvc add" not in text
    assert not prompt.truncated and prompt.fits and len(prompt.prompt_hash) == 64
    # the code in the prompt is the input, recoverable as such
    assert extract_code(text, "version.py", original=CODE).code == CODE


def test_tuned_uses_the_functionality_template_and_falls_back_to_default(tmp_path):
    tuned = user(build_prompt(strategy("tuned"), Task(), 4096, 512))
    assert INSTRUCTION in tuned and "must not import the source library" in tuned
    assert "gitpython, dvc" in tuned  # $components filled in
    other = user(build_prompt(strategy("tuned"), Task(functionality="data_validation"), 4096, 512))
    assert "Guidelines:" in other and "must not import" not in other
    (tmp_path / "translation.md").write_text("MY RULES for $entry: $instruction")
    custom = user(build_prompt(strategy("tuned", templates=str(tmp_path)), Task(), 4096, 512))
    assert custom.startswith(f"MY RULES for version.py: {INSTRUCTION}")


def test_every_functionality_has_a_template():
    for functionality in ["experiment_tracking", "hyperparameter_optimisation", "model_registration",
                          "model_optimisation", "translation", "humaneval"]:
        text = (TEMPLATES / f"{functionality}.md").read_text()
        assert "$instruction" in text


def test_hints_put_the_task_sheet_and_docprompt_a_docs_file_in_the_prompt(tmp_path):
    text = user(build_prompt(strategy("hints"), Task(), 4096, 512))
    assert "## API documentation" in text and "dvc.yaml stages" in text
    (tmp_path / "api.md").write_text("# Custom\nUse `dvc.api.open`.\n")
    text = user(build_prompt(strategy("docprompt", docs="api.md"), Task(), 4096, 512, base_dir=tmp_path))
    assert "dvc.api.open" in text and "dvc exp show" not in text


@pytest.fixture
def docs_file(tmp_path):
    (tmp_path / "api.md").write_text(DOCS)
    return str(tmp_path / "api.md")


def test_retrieval_ranks_the_relevant_chunk_first(docs_file):
    ranked = rank(chunk_markdown(DOCS), INSTRUCTION + "\n" + CODE + "\ntrack data file", 2)
    assert ranked[0].title == "dvc add"
    prompt = build_prompt(strategy("retrieval", top_k=2, docs=docs_file), Task(), 4096, 512)
    text = user(prompt)
    assert prompt.docs_chunks == 2 and "writes data.csv.dvc" in text
    assert "dvc exp show" not in text  # not among the top 2


def test_retrieval_over_a_docs_folder(tmp_path):
    (tmp_path / "optuna.md").write_text("# Optuna\n\n## create_study\nMake a study and optimize an objective.\n")
    (tmp_path / "dvc.md").write_text("# DVC\n\n## Versioning data\nRepo data commit: track a data file with dvc add.\n")
    (tmp_path / "ignored.py").write_text("data data data")
    prompt = build_prompt(strategy("retrieval", top_k=1, docs=str(tmp_path)), Task(), 4096, 512)
    assert prompt.docs_chunks == 1 and "<!-- dvc.md -->\n## Versioning data" in user(prompt)
    assert 0 < prompt.docs_tokens < prompt.tokens


def test_retrieval_drops_lowest_ranked_chunks_first_to_fit(docs_file):
    full = build_prompt(strategy("retrieval", top_k=3, docs=docs_file), Task(), 100_000, 512)
    budget_two = full.tokens - 5  # a context where the third chunk no longer fits
    prompt = build_prompt(strategy("retrieval", top_k=3, docs=docs_file), Task(), budget_two + 512, 512)
    assert prompt.truncated and prompt.fits and prompt.docs_chunks < 3
    assert "dropped" in prompt.note and "dvc add" in user(prompt)  # the best chunk stays


def test_a_hint_sheet_is_cut_never_the_code():
    long_docs = DOCS + "\n\n".join(f"Paragraph {i}: " + "lorem ipsum " * 40 for i in range(40))
    task = Task(docs=long_docs)
    prompt = build_prompt(strategy("hints"), task, 2048, 512)
    text = user(prompt)
    assert prompt.truncated and prompt.fits and prompt.tokens <= 2048 - 512
    assert "documentation truncated" in text and "## dvc add" in text and "Paragraph 39" not in text
    assert CODE.strip() in text and INSTRUCTION in text
    assert "cut from" in prompt.note


def test_code_larger_than_the_context_is_sent_but_flagged():
    task = Task(inputs={"version.py": CODE * 200})
    prompt = build_prompt(strategy("hints"), task, 1024, 256)
    assert not prompt.fits and (CODE * 200).strip() in user(prompt)
    assert prompt.tokens > estimate_tokens(CODE * 200)


def test_same_inputs_same_hash_and_strategies_differ(apidocs):
    names = ["zero_shot", "tuned", "hints", "docprompt", "retrieval"]
    hashes = {build_prompt(strategy(name), Task(), 4096, 512).prompt_hash for name in names}
    assert len(hashes) == len(names)
    assert build_prompt(strategy("tuned"), Task(), 4096, 512) == build_prompt(strategy("tuned"), Task(), 4096, 512)


@pytest.mark.parametrize(
    "bad, message",
    [
        (strategy("few_shot"), "unknown strategy 'few_shot'"),
        (strategy("retrieval", k=3), "has no option k; its options: top_k, docs"),
        (strategy("retrieval", top_k=0), "top_k must be at least 1"),
        (strategy("docprompt", docs="missing/folder"), "docs or templates path not found"),
        (strategy("docprompt", docs="dvcc"), "no API documentation for component 'dvcc'; documented: mlflow, "),
        (strategy("tuned", dev="dev/*"), "no tuned template was given"),
    ],
)
def test_bad_strategies_are_clear_errors(bad, message):
    with pytest.raises(PromptError, match=message):
        build_prompt(bad, Task(), 4096, 512)
