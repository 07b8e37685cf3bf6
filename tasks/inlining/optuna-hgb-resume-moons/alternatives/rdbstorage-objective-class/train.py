"""Histogram gradient boosting on the two-moons problem; an Optuna study kept in SQLite
grows by --trials trials each run."""
import argparse

import optuna
from sklearn.datasets import make_moons
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
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


class Objective:
    def __init__(self, X, y):
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(X, y, test_size=0.25, random_state=1,
                                                                        stratify=y)

    def __call__(self, trial):
        l2 = trial.suggest_float("l2_regularization", 0.0, 1.0)
        lr = trial.suggest_float("learning_rate", 0.01, 0.5, log=True)
        leaves = trial.suggest_int("max_leaf_nodes", 4, 64, log=True)
        return make_model(lr, leaves, l2).fit(self.X_tr, self.y_tr).score(self.X_val, self.y_val)


def main():
    args = parse_args()
    X_train, X_test, y_train, y_test = load_split(args.seed)
    print(f"n_train: {len(X_train)}")
    storage = optuna.storages.RDBStorage(url="sqlite:///hgb.db")
    study = optuna.create_study(storage=storage, study_name="hgb-moons", direction="maximize", load_if_exists=True,
                                sampler=optuna.samplers.TPESampler(seed=args.sampler_seed))
    study.optimize(Objective(X_train, y_train), n_trials=args.trials)
    summary = next(s for s in optuna.get_all_study_summaries(storage) if s.study_name == "hgb-moons")
    print(f"trials_in_study: {summary.n_trials}")
    print(f"best_params: {study.best_trial.params}")
    model = make_model(**study.best_trial.params).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
