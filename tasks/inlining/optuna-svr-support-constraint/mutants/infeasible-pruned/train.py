# mutant: trials over the size budget are pruned instead of recorded as infeasible
"""Support-vector regression on the Friedman #3 problem, tuned with Optuna under a size
constraint: at most 40 % of the rows a model is fitted on may become support vectors."""
import argparse

import optuna
from sklearn.datasets import make_friedman3
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

MAX_SUPPORT_SHARE = 0.4


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--n-trials", type=int, default=14)
    return parser.parse_args(argv)


def make_model(C, epsilon, gamma):
    return make_pipeline(StandardScaler(), SVR(C=C, epsilon=epsilon, gamma=gamma))


def support_share(model, n_rows):
    """The share of the rows the model was fitted on that it keeps as support vectors."""
    return len(model[-1].support_) / n_rows


def main():
    args = parse_args()
    X, y = make_friedman3(n_samples=600, noise=0.1, random_state=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    print(f"n_train: {len(X_train)}")
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)

    def objective(trial):
        model = make_model(
            C=trial.suggest_float("C", 0.1, 100.0, log=True),
            epsilon=trial.suggest_float("epsilon", 0.01, 0.3, log=True),
            gamma=trial.suggest_float("gamma", 0.01, 1.0, log=True),
        ).fit(X_tr, y_tr)
        if support_share(model, len(X_tr)) > MAX_SUPPORT_SHARE:
            raise optuna.TrialPruned()
        return mean_absolute_error(y_val, model.predict(X_val))

    study = optuna.create_study(study_name="svr-friedman3", storage="sqlite:///svr.db", direction="minimize",
                                sampler=optuna.samplers.TPESampler(seed=2))
    study.optimize(objective, n_trials=args.n_trials)
    infeasible = [t.number for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
    print("infeasible_trials:", infeasible)
    print("best_params:", study.best_params)  # the best feasible trial's

    model = make_model(**study.best_params).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"mae: {mean_absolute_error(y_test, predictions):.4f}")
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"support_share: {support_share(model, len(X_train)):.4f}")


if __name__ == "__main__":
    main()
