# alternative: Optuna's ask/tell interface in an explicit loop instead of study.optimize,
# the study opened with load_if_exists=True.
"""Ridge regression on the diabetes data set, with alpha tuned by Optuna."""
import numpy as np
import optuna
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def load_data():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=0)


def train(X_train, y_train, alpha=1.0):
    model = Ridge(alpha=alpha)
    model.fit(X_train, y_train)
    return model


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def tune(X_train, y_train, n_trials=10):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1)
    study = optuna.create_study(
        study_name="diabetes-ridge",
        storage="sqlite:///optuna.db",
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=1),
        load_if_exists=True,
    )
    for _ in range(n_trials):
        trial = study.ask()
        alpha = trial.suggest_float("alpha", 1e-4, 10.0, log=True)
        study.tell(trial, rmse(train(X_tr, y_tr, alpha=alpha), X_val, y_val))
    return study.best_params


def main():
    X_train, X_test, y_train, y_test = load_data()
    print(f"n_train: {len(X_train)}")
    best_params = tune(X_train, y_train)
    print("best_params:", best_params)
    model = train(X_train, y_train, **best_params)
    print(f"rmse: {rmse(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
