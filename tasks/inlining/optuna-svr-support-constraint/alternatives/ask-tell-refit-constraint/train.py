"""Support-vector regression on the Friedman #3 problem, tuned with Optuna (ask and tell)
under a size budget: at most 40 % of the rows fitted on may become support vectors."""
import argparse

import optuna
from optuna.distributions import FloatDistribution
from sklearn.datasets import make_friedman3
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

SPACE = {"gamma": FloatDistribution(0.01, 1.0, log=True), "C": FloatDistribution(0.1, 100.0, log=True),
         "epsilon": FloatDistribution(0.01, 0.3, log=True)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--gamma", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=9)
    return parser.parse_args(argv)


def make_model(C, epsilon, gamma):
    return make_pipeline(StandardScaler(), SVR(C=C, epsilon=epsilon, gamma=gamma))


def support_share(model, n_rows):
    return len(model[-1].support_) / n_rows


def main():
    args = parse_args()
    X, y = make_friedman3(n_samples=600, noise=0.1, random_state=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)

    def over_budget(frozen):
        # Recomputed from the trial's params: deterministic, so it is the objective's model.
        return [support_share(make_model(**frozen.params).fit(X_tr, y_tr), len(X_tr)) - 0.4]

    storage = optuna.storages.RDBStorage("sqlite:///svr.db")
    study = optuna.create_study(study_name="svr-friedman3", storage=storage,
                                sampler=optuna.samplers.TPESampler(seed=2, constraints_func=over_budget))
    for _ in range(14):
        trial = study.ask(SPACE)
        model = make_model(**trial.params).fit(X_tr, y_tr)
        study.tell(trial, mean_absolute_error(y_val, model.predict(X_val)))

    trials = optuna.load_study(study_name="svr-friedman3", storage=storage).trials
    print(f"infeasible_trials: {[t.number for t in trials if max(t.constraints.values()) > 0]}")
    best = study.best_trial
    print(f"best_params: {best.params}")
    model = make_model(**best.params).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"mae: {mean_absolute_error(y_test, predictions):.4f}")
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"support_share: {support_share(model, len(X_train)):.4f}")


if __name__ == "__main__":
    main()
