"""The leak measure: which API names a reference adds over its input, and which of them an
instruction writes as code."""
from __future__ import annotations

from benchrun.codegen.leak import BRIEF_LIMIT, api_names, corpus_leaks, named_as_code, task_leaks
from benchrun.codegen.sources import load_paths
from benchrun.codegen.tasks import Task

INPUT = """\
from sklearn.linear_model import LogisticRegression
model = LogisticRegression().fit(X, y)
print(model.score(X, y))
"""
REFERENCE = """\
import optuna
from optuna.samplers import TPESampler
from sklearn.linear_model import LogisticRegression

def objective(trial):
    C = trial.suggest_float("C", 1e-3, 100, log=True)
    return LogisticRegression(C=C).fit(X, y).score(X, y)

study = optuna.create_study(study_name="s", sampler=optuna.samplers.TPESampler(seed=0))
study.optimize(objective, n_trials=8)
print(len(study.trials))
"""


def task(instruction: str, brief: str) -> Task:
    return Task(id="suite/demo", kind="inline", functionality="hyperparameter_optimisation", components=("optuna",),
                instruction=instruction, entry="train.py", inputs={"train.py": INPUT},
                reference={"train.py": REFERENCE}, checks="", brief=brief)


def test_added_names_are_the_calls_imports_and_module_attributes_the_reference_adds():
    added = api_names({"train.py": REFERENCE}) - api_names({"train.py": INPUT})
    # not: builtins (len, print), modules (optuna, optuna.samplers), what the program defines
    # (objective), what the input already calls (fit, score, LogisticRegression)
    assert added == {"TPESampler", "suggest_float", "create_study", "optimize"}


def test_cli_subcommands_count_as_api_names():
    program = 'import subprocess\nsubprocess.run(["dvc", "add", "x.csv"])\ndef dvc(*a): pass\ndvc("repro")\n'
    assert {"dvc add", "dvc repro"} <= api_names({"main.py": program})
    assert named_as_code("Track x.csv with dvc  add, then reproduce.", {"dvc add", "dvc repro"}) == {"dvc add"}


def test_code_is_named_in_backticks_calls_attributes_and_code_shaped_words():
    names = {"create_study", "optimize", "TPESampler", "samplers", "suggest_float"}
    assert named_as_code("Optimize the study with a seeded TPE sampler.", names) == set()
    assert named_as_code("Use `optimize` once.", names) == {"optimize"}
    assert named_as_code("call optimize(objective)", names) == {"optimize"}
    assert named_as_code("study.optimize runs it", names) == {"optimize"}
    assert named_as_code("a TPESampler; create_study too", names) == {"TPESampler", "create_study"}
    assert named_as_code("optuna.samplers holds them", names) == {"samplers"}


def test_a_leaking_brief_is_too_much_and_a_clean_one_is_not():
    detailed = "Create the study with `optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))`."
    clean = task(detailed, "Tune C on a log scale from 0.001 to 100 with Optuna: 8 trials, TPE seeded with 0.")
    leaks = {leak.level: leak for leak in task_leaks(clean)}
    assert leaks["detailed"].named == {"create_study", "TPESampler"}
    assert leaks["brief"].named == set() and not leaks["brief"].too_much
    leaky = task(detailed, "Tune C with trial.suggest_float and study.optimize.")
    brief = next(x for x in task_leaks(leaky) if x.level == "brief")
    assert brief.share == 2 / 4 > BRIEF_LIMIT and brief.too_much
    assert [(c.level, c.named, c.added) for c in corpus_leaks(task_leaks(clean) + task_leaks(leaky))] == [
        ("brief", 2, 8), ("detailed", 4, 8)]


def test_the_shipped_corpus_briefs_give_little_away():
    """Every task has a brief; none names more than 25 % of what its reference adds, and the
    corpus's briefs at most 10 % together."""
    leaks = [leak for t in load_paths(["tasks"]) for leak in task_leaks(t)]
    briefs = [leak for leak in leaks if leak.level == "brief"]
    assert len(briefs) == len({leak.task for leak in leaks})
    assert [leak.task for leak in briefs if leak.too_much] == []
    corpus = {c.level: c for c in corpus_leaks(leaks)}
    assert corpus["brief"].share <= 0.10 < corpus["detailed"].share
