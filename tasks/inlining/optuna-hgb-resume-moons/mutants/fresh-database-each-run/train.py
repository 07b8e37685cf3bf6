# mutant: the database is removed at the start of each run: the study never carries over
"""Histogram gradient boosting on the two-moons problem, tuned with an Optuna study that
each run resumes: `--trials` more trials, sampled with `--sampler-seed`."""
import argparse
import os

import optuna
from sklearn.datasets import make_moons
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--trials", type=int, default=6, help="trials this run adds to the study")
    parser.add_argument("--sampler-seed", type=int, default=0)
    return parser.parse_args(argv)


def load_split(seed):
    X, y = make_moons(n_samples=1000, noise=0.35, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)


def make_model(learning_rate, max_leaf_nodes, l2_regularization):
    return HistGradientBoostingClassifier(learning_rate=learning_rate, max_leaf_nodes=max_leaf_nodes,
                                          l2_regularization=l2_regularization, max_iter=60, random_state=0)


def main():
    args = parse_args()
    X_train, X_test, y_train, y_test = load_split(args.seed)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1, stratify=y_train)

    def objective(trial):
        model = make_model(
            learning_rate=trial.suggest_float("learning_rate", 0.01, 0.5, log=True),
            max_leaf_nodes=trial.suggest_int("max_leaf_nodes", 4, 64, log=True),
            l2_regularization=trial.suggest_float("l2_regularization", 0.0, 1.0),
        ).fit(X_tr, y_tr)
        return model.score(X_val, y_val)

    if os.path.exists("hgb.db"):
        os.remove("hgb.db")
    study = optuna.create_study(study_name="hgb-moons", storage="sqlite:///hgb.db", direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=args.sampler_seed), load_if_exists=True)
    study.optimize(objective, n_trials=args.trials)
    print(f"trials_in_study: {len(study.trials)}")
    print("best_params:", study.best_params)

    model = make_model(**study.best_params).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
