# alternative: offline mode through wandb.Settings, the config filled with wandb.config.update,
# train() logs with the module-level wandb.log and no explicit step (W&B's own step counter
# starts at 0, as the printed epochs do), the summary set through wandb.summary, and
# wandb.finish() at the end.
"""Linear regression by stochastic gradient descent on a synthetic data set."""
import numpy as np
import wandb
from sklearn.datasets import make_regression
from sklearn.linear_model import SGDRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

HYPERPARAMS = {"epochs": 6, "eta0": 0.005, "alpha": 1e-4}


def make_data(seed=21):
    X, y = make_regression(n_samples=800, n_features=15, n_informative=8, noise=12.0, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


def train(X_train, y_train, X_val, y_val, epochs=6, eta0=0.005, alpha=1e-4):
    model = SGDRegressor(learning_rate="invscaling", eta0=eta0, alpha=alpha, random_state=21)
    for epoch in range(epochs):
        model.partial_fit(X_train, y_train)
        train_mse = mean_squared_error(y_train, model.predict(X_train))
        val_mse = mean_squared_error(y_val, model.predict(X_val))
        wandb.log({"train_mse": train_mse, "val_mse": val_mse})
        print(f"epoch {epoch}: train_mse={train_mse:.3f} val_mse={val_mse:.3f}")
    return model


def main():
    wandb.init(project="sgd-regression", settings=wandb.Settings(mode="offline"))
    wandb.config.update(HYPERPARAMS)
    X_train, X_val, y_train, y_val = make_data()
    model = train(X_train, y_train, X_val, y_val, **HYPERPARAMS)
    r2 = r2_score(y_val, model.predict(X_val))
    wandb.summary["r2"] = r2
    wandb.finish()
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
