"""optuna-extratrees-pareto: the study extratrees-size in sqlite:///pareto.db maximises
validation accuracy and minimises the trees' summed nodes; its 12 trials are those
NSGAIISampler(seed=5) proposes, each with the two values its params give; the printed
Pareto front is the study's, and the chosen trial and the printed scores follow the rule."""
import math

from optuna.distributions import IntDistribution
from optuna.samplers import NSGAIISampler
from sklearn.model_selection import train_test_split

from benchcheck import (
    fail, load_any_study, printed_list, program_output, require_directions, require_pareto_front,
    require_sampled_by, require_success, require_values, score, sorted_trials,
)

from train import ForestExperiment  # the unmodified program's data, model and size

DIRECTIONS = ("maximize", "minimize")
SPACE = {"n_estimators": IntDistribution(10, 80, step=10), "max_depth": IntDistribution(2, 16),
         "min_samples_leaf": IntDistribution(1, 20)}
TOLERANCE = 0.015

experiment = ForestExperiment()
X_tr, X_val, y_tr, y_val = train_test_split(experiment.X_train, experiment.y_train, test_size=0.25,
                                            random_state=0, stratify=experiment.y_train)


def values(params):
    model = experiment.build(**params).fit(X_tr, y_tr)
    return [model.score(X_val, y_val), experiment.nodes(model)]


require_success()
out = program_output()
if score(out, "n_train") != len(experiment.X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(experiment.X_train)}")
study = load_any_study("extratrees-size", "sqlite:///pareto.db")
require_directions(study, DIRECTIONS)
trials = sorted_trials(study, 12, space=SPACE)
require_sampled_by(trials, lambda: NSGAIISampler(seed=5), SPACE, "NSGAIISampler(seed=5)", directions=DIRECTIONS)
require_values(trials, values, "(validation accuracy, summed nodes)")
front = require_pareto_front(study, trials)
printed = printed_list(out, "pareto_trials")
if sorted(printed) != front:
    fail(f"printed pareto_trials {printed}, the study's Pareto front is {front}")

by_number = {t.number: t for t in trials}
top = max(by_number[n].values[0] for n in front)
chosen = min((by_number[n] for n in front if by_number[n].values[0] >= top - TOLERANCE - 1e-12),
             key=lambda t: (t.values[1], t.number))
if score(out, "chosen_trial") != chosen.number:
    fail(f"printed chosen_trial {score(out, 'chosen_trial')}, the rule picks trial {chosen.number}")
model = experiment.build(**chosen.params).fit(experiment.X_train, experiment.y_train)
accuracy, nodes = model.score(experiment.X_test, experiment.y_test), experiment.nodes(model)
if not math.isclose(score(out, "accuracy"), accuracy, abs_tol=1e-4):
    fail(f"printed accuracy {score(out, 'accuracy')} is not that of the chosen model refit ({accuracy:.4f})")
if score(out, "nodes") != nodes:
    fail(f"printed nodes {score(out, 'nodes')} is not that of the chosen model refit ({nodes})")
print("ok")
