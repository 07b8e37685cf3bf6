"""benchcheck.pipelines (params and metrics as DVC reports them) and benchcheck.studies
(pruning and sampler replays) over real Optuna studies; the DVC side is exercised end to
end by `tasks validate` on tasks/pipelines."""
from __future__ import annotations

import types

import pytest

from benchrun.codegen.benchcheck import pipelines, studies

optuna = pytest.importorskip("optuna")
optuna.logging.set_verbosity(optuna.logging.WARNING)
Float = optuna.distributions.FloatDistribution


def test_flatten_gives_dotted_keys():
    assert pipelines.flatten({"train": {"C": 1.0, "opt": {"lr": 0.1}}, "seed": 3}) == {
        "train.C": 1.0, "train.opt.lr": 0.1, "seed": 3}


def test_params_compare_as_numbers_but_not_bools():
    assert pipelines.same_value(1, 1.0) and pipelines.same_value("a", "a")
    assert not pipelines.same_value(True, 1) and not pipelines.same_value(0.5, 0.25)


def test_require_params_names_the_wrong_key(capsys):
    pipelines.require_params({"train.C": 1.0, "seed": 0}, {"train.C": 1}, "baseline")
    with pytest.raises(SystemExit):
        pipelines.require_params({"train.C": 0.5}, {"train.C": 1.0, "seed": 0}, "experiment 'x'")
    err = capsys.readouterr().err
    assert "train.C" in err and "seed" in err and "<absent>" in err


def test_require_metrics_fails_outside_the_tolerance(capsys):
    pipelines.require_metrics({"accuracy": 0.91234}, {"accuracy": 0.9123}, "exp")
    with pytest.raises(SystemExit):
        pipelines.require_metrics({"accuracy": 0.9}, {"accuracy": 0.95}, "exp")
    with pytest.raises(SystemExit):
        pipelines.require_metrics({}, {"accuracy": 0.95}, "exp")
    assert "accuracy" in capsys.readouterr().err


def test_stage_words_normalise_the_interpreter():
    stage = types.SimpleNamespace(cmd="python ./train.py 'train'")
    assert pipelines.stage_words(stage) == ["python3", "train.py", "train"]


def _curve(params):
    return [params["x"] * (step + 1) for step in range(4)]


def _pruned_study(pruner, prune: bool = True, step_shift: int = 0):
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=1), pruner=pruner)

    def objective(trial):
        x = trial.suggest_float("x", 0.0, 1.0)
        for step, value in enumerate(_curve({"x": x})):
            trial.report(value, step + step_shift)
            if prune and trial.should_prune():
                raise optuna.TrialPruned()
        return value

    study.optimize(objective, n_trials=12)
    return study


def _median():
    return optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)


def test_a_study_pruned_by_the_pruner_passes_every_replay():
    study = _pruned_study(_median())
    trials = studies.sorted_trials(study, 12, states=("COMPLETE", "PRUNED"), space={"x": Float(0.0, 1.0)})
    studies.require_sampled_by(trials, lambda: optuna.samplers.RandomSampler(seed=1), {"x": Float(0.0, 1.0)}, "r")
    studies.require_curves(trials, _curve, 4)
    studies.require_pruned_by(study, trials, _median, "the median pruner")


def test_a_study_that_never_asked_the_pruner_fails(capsys):
    study = _pruned_study(_median(), prune=False)
    trials = studies.sorted_trials(study, 12)
    with pytest.raises(SystemExit):
        studies.require_pruned_by(study, trials, _median, "the median pruner")
    assert "went on to step" in capsys.readouterr().err


def test_another_pruner_or_shifted_steps_fail(capsys):
    study = _pruned_study(optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2))
    trials = studies.sorted_trials(study, 12, states=("COMPLETE", "PRUNED"))
    with pytest.raises(SystemExit):
        studies.require_pruned_by(study, trials, _median, "the median pruner")
    shifted = _pruned_study(_median(), step_shift=1)
    with pytest.raises(SystemExit):
        studies.require_curves(studies.sorted_trials(shifted, 12, states=("COMPLETE", "PRUNED")), _curve, 4)
    assert "steps" in capsys.readouterr().err


def test_another_seed_is_not_the_sampler_asked_for(capsys):
    space = {"x": Float(0.0, 1.0)}
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=2))
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=5)
    with pytest.raises(SystemExit):
        studies.require_sampled_by(studies.sorted_trials(study, 5), lambda: optuna.samplers.RandomSampler(seed=1),
                                   space, "RandomSampler(seed=1)")
    assert "RandomSampler(seed=1)" in capsys.readouterr().err
