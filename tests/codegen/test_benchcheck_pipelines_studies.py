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



def test_top_level_plots_name_their_files():
    definitions = [
        "eval/prc.csv",
        {"eval/roc.csv": {"x": "fpr", "y": "tpr"}},
        {"residuals": {"x": "y_true", "y": {"eval/res_train.csv": "error", "eval/res_test.csv": "error"}}},
        {"bare": None},
    ]
    assert pipelines.top_level_plot_files(definitions) == {
        "eval/prc.csv", "eval/roc.csv", "eval/res_train.csv", "eval/res_test.csv", "bare"}


def test_declared_plots_join_stage_plots_and_top_level_ones(capsys):
    class Out:
        def __init__(self, path, plot):
            self.path, self.plot = path, plot

        def __str__(self):
            return self.path

    stage = types.SimpleNamespace(outs=[Out("eval/roc.csv", True), Out("model.joblib", False)])
    index = types.SimpleNamespace(stages=[stage], _plots={"/w/dvc.yaml": [{"roc": {"y": {"eval/pr.csv": "p"}}}]})
    repo = types.SimpleNamespace(index=index)
    assert pipelines.declared_plots(repo) == {"eval/roc.csv", "eval/pr.csv"}
    pipelines.require_plots(repo, ["eval/roc.csv", "eval/pr.csv"])
    with pytest.raises(SystemExit):
        pipelines.require_plots(repo, ["model.joblib"])
    assert "model.joblib" in capsys.readouterr().err


def test_csv_rows_parse_numbers_and_refuse_an_empty_file(capsys):
    assert pipelines.csv_rows("fpr,tpr,threshold\n0,0,inf\n0.5,1,0.25\n", "roc") == [
        {"fpr": 0.0, "tpr": 0.0, "threshold": float("inf")}, {"fpr": 0.5, "tpr": 1.0, "threshold": 0.25}]
    with pytest.raises(SystemExit):
        pipelines.csv_rows("fpr,tpr\n", "roc")


def test_a_curve_passes_with_or_without_its_intermediate_points(capsys):
    full = [(0.0, 0.0), (0.0, 0.5), (0.25, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)]
    kept = [(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)]
    rows = lambda points: [{"fpr": x, "tpr": y} for x, y in points]  # noqa: E731
    pipelines.require_curve(rows(full), "fpr", "tpr", full, kept, "roc")
    pipelines.require_curve(rows(kept), "fpr", "tpr", full, kept, "roc")
    with pytest.raises(SystemExit):  # the curve of the predicted labels: a point off the curve
        pipelines.require_curve(rows([(0.0, 0.0), (0.3, 0.8), (1.0, 1.0)]), "fpr", "tpr", full, kept, "roc")
    with pytest.raises(SystemExit):  # a point of the curve missing
        pipelines.require_curve(rows(kept[:-1]), "fpr", "tpr", full, kept, "roc")
    with pytest.raises(SystemExit):  # other column names
        pipelines.require_curve([{"x": 0.0, "y": 0.0}], "fpr", "tpr", full, kept, "roc")
    err = capsys.readouterr().err
    assert "not on the curve" in err and "missing" in err and "columns" in err

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


def _two_objective_study(directions=("maximize", "minimize")):
    study = optuna.create_study(directions=list(directions), sampler=optuna.samplers.NSGAIISampler(seed=3))

    def objective(trial):
        x = trial.suggest_float("x", 0.0, 1.0)
        return x, x * x + trial.suggest_float("y", 0.0, 1.0)  # y only adds size: off the front unless small

    study.optimize(objective, n_trials=12)
    return study


def _values(params):
    return [params["x"], params["x"] ** 2 + params["y"]]


def test_a_two_objective_study_passes_its_directions_values_and_front():
    study = _two_objective_study()
    trials = studies.sorted_trials(study, 12)
    studies.require_directions(study, ["maximize", "minimize"])
    studies.require_sampled_by(trials, lambda: optuna.samplers.NSGAIISampler(seed=3),
                               {"x": Float(0.0, 1.0), "y": Float(0.0, 1.0)}, "NSGA-II", ("maximize", "minimize"))
    studies.require_values(trials, _values)
    front = studies.require_pareto_front(study, trials)
    assert front == sorted(t.number for t in study.best_trials) and 0 < len(front) < 12


def test_the_pareto_front_is_computed_from_values_not_taken_from_optuna():
    trials = [types.SimpleNamespace(number=n, values=v) for n, v in enumerate([[0.9, 10], [0.8, 5], [0.8, 6], [0.9, 12]])]
    assert studies.pareto_numbers(trials, ["maximize", "minimize"]) == [0, 1]
    assert studies.pareto_numbers(trials, ["minimize", "maximize"]) == [2, 3]


def test_swapped_directions_or_other_values_fail(capsys):
    study = _two_objective_study(("maximize", "maximize"))
    with pytest.raises(SystemExit):
        studies.require_directions(study, ["maximize", "minimize"])
    with pytest.raises(SystemExit):
        studies.require_values(studies.sorted_trials(study, 12), lambda p: [p["x"], p["y"]])
    err = capsys.readouterr().err
    assert "directions are ['maximize', 'maximize']" in err and "values are" in err


def _constrained_study(record):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))

    def objective(trial):
        x = trial.suggest_float("x", 0.0, 1.0)
        record(trial, x - 0.5)
        return -x

    study.optimize(objective, n_trials=10)
    return study


def test_constraints_set_on_the_trial_are_read_back_and_decide_the_best_trial():
    study = _constrained_study(lambda trial, c: trial.set_constraint("budget", c))
    trials = studies.sorted_trials(study, 10)
    infeasible = studies.require_constraints(trials, lambda t: [t.params["x"] - 0.5])
    assert infeasible == [t.number for t in trials if t.params["x"] > 0.5] and infeasible
    assert study.best_trial.number not in infeasible


def test_a_sampler_constraints_function_is_read_back_too():
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(
        seed=0, constraints_func=lambda t: [t.user_attrs["c"]]))
    study.optimize(lambda t: t.set_user_attr("c", t.suggest_float("x", 0.0, 1.0) - 0.5) or 0.0, n_trials=6)
    trials = studies.sorted_trials(study, 6)
    assert studies.require_constraints(trials, lambda t: [t.params["x"] - 0.5]) == \
        [t.number for t in trials if t.params["x"] > 0.5]


def test_a_constraint_kept_as_a_user_attribute_or_flipped_fails(capsys):
    plain = _constrained_study(lambda trial, c: trial.set_user_attr("budget", c))
    with pytest.raises(SystemExit):
        studies.require_constraints(studies.sorted_trials(plain, 10), lambda t: [t.params["x"] - 0.5])
    flipped = _constrained_study(lambda trial, c: trial.set_constraint("budget", -c))
    with pytest.raises(SystemExit):
        studies.require_constraints(studies.sorted_trials(flipped, 10), lambda t: [t.params["x"] - 0.5])
    err = capsys.readouterr().err
    assert "carries no constraint value" in err and "constraint values are" in err


def test_printed_list_reads_the_last_line_and_fails_without_one(capsys):
    assert studies.printed_list("a: [1]\na: [2, 3]\n", "a") == [2, 3]
    with pytest.raises(SystemExit):
        studies.printed_list("a: 1, 2\n", "a")
    assert "no 'a: [...]' line" in capsys.readouterr().err
