# alternative: a callable objective class holding the validation split, the study built
# with keyword settings from a dict, and the refit done through study.best_trial.
"""Ridge regression on the diabetes data set, with alpha tuned by Optuna."""
import numpy as np
import optuna
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

STUDY_SETTINGS = {
    "study_name": "diabetes-ridge",
    "storage": "sqlite:///optuna.db",
    "direction": "minimize",
}
N_TRIALS = 10


def load_data():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=0)


def train(X_train, y_train, alpha=1.0):
    model = Ridge(alpha=alpha)
    model.fit(X_train, y_train)
    return model


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


class RidgeObjective:
    """Validation RMSE of a Ridge trained with the trial's alpha."""

    def __init__(self, X_train, y_train):
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(
            X_train, y_train, test_size=0.25, random_state=1
        )

    def __call__(self, trial: optuna.Trial) -> float:
        alpha = trial.suggest_float("alpha", 1e-4, 10.0, log=True)
        return rmse(train(self.X_tr, self.y_tr, alpha=alpha), self.X_val, self.y_val)


def main():
    X_train, X_test, y_train, y_test = load_data()
    print(f"n_train: {len(X_train)}")
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=1), **STUDY_SETTINGS)
    study.optimize(RidgeObjective(X_train, y_train), n_trials=N_TRIALS)
    best_alpha = study.best_trial.params["alpha"]
    print("best_params:", {"alpha": best_alpha})
    model = train(X_train, y_train, alpha=best_alpha)
    print(f"rmse: {rmse(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
