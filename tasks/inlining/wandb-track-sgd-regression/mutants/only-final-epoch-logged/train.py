# mutant: wandb.log is placed after the epoch loop, so only the last epoch's errors are logged
"""Linear regression by stochastic gradient descent on a synthetic data set."""
import numpy as np
import wandb
from sklearn.datasets import make_regression
from sklearn.linear_model import SGDRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

EPOCHS, ETA0, ALPHA = 6, 0.005, 1e-4


def make_data(seed=21):
    X, y = make_regression(n_samples=800, n_features=15, n_informative=8, noise=12.0, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


def train(X_train, y_train, X_val, y_val, epochs=EPOCHS, eta0=ETA0, alpha=ALPHA):
    model = SGDRegressor(learning_rate="invscaling", eta0=eta0, alpha=alpha, random_state=21)
    for epoch in range(epochs):
        model.partial_fit(X_train, y_train)
        train_mse = mean_squared_error(y_train, model.predict(X_train))
        val_mse = mean_squared_error(y_val, model.predict(X_val))
        print(f"epoch {epoch}: train_mse={train_mse:.3f} val_mse={val_mse:.3f}")
    wandb.log({"train_mse": train_mse, "val_mse": val_mse}, step=epoch)
    return model


def main():
    run = wandb.init(
        mode="offline",
        project="sgd-regression",
        config={"epochs": EPOCHS, "eta0": ETA0, "alpha": ALPHA},
    )
    X_train, X_val, y_train, y_val = make_data()
    model = train(X_train, y_train, X_val, y_val)
    r2 = r2_score(y_val, model.predict(X_val))
    run.summary["r2"] = r2
    run.finish()
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
