"""Histogram gradient boosting on the two-moons problem, tuned with an Optuna study that
each run continues (ask and tell)."""
import argparse

import optuna
from optuna.distributions import FloatDistribution, IntDistribution
from sklearn.datasets import make_moons
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

STORAGE, NAME = "sqlite:///hgb.db", "hgb-moons"
SPACE = {"max_leaf_nodes": IntDistribution(4, 64, log=True), "l2_regularization": FloatDistribution(0.0, 1.0),
         "learning_rate": FloatDistribution(0.01, 0.5, log=True)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-leaf-nodes", type=int, default=31)
    parser.add_argument("--l2-regularization", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--trials", type=int, default=6)
    parser.add_argument("--sampler-seed", type=int, default=0)
    return parser.parse_args(argv)


def load_split(seed):
    X, y = make_moons(n_samples=1000, noise=0.35, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)


def make_model(learning_rate, max_leaf_nodes, l2_regularization):
    return HistGradientBoostingClassifier(learning_rate=learning_rate, max_leaf_nodes=max_leaf_nodes,
                                          l2_regularization=l2_regularization, max_iter=60, random_state=0)


def open_study(sampler):
    try:
        return optuna.load_study(study_name=NAME, storage=STORAGE, sampler=sampler)
    except KeyError:  # no such study yet: this is the first run
        return optuna.create_study(study_name=NAME, storage=STORAGE, direction="maximize", sampler=sampler)


def main():
    args = parse_args()
    X_train, X_test, y_train, y_test = load_split(args.seed)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1, stratify=y_train)
    study = open_study(optuna.samplers.TPESampler(seed=args.sampler_seed))
    for _ in range(args.trials):
        trial = study.ask(SPACE)
        study.tell(trial, make_model(**trial.params).fit(X_tr, y_tr).score(X_val, y_val))
    trials = study.get_trials(states=[optuna.trial.TrialState.COMPLETE])
    print(f"trials_in_study: {len(trials)}")
    best = max(trials, key=lambda t: t.value)
    print(f"best_params: {best.params}")
    model = make_model(**best.params).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
