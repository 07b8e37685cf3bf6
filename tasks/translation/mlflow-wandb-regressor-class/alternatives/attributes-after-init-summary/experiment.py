# alternative: the module-level API: wandb.init with the project only, the run's name and
# tags set as attributes after init, wandb.config.update, the scores written to
# wandb.run.summary item by item, wandb.finish()
"""A gradient boosting experiment on diabetes, tracked with W&B (offline)."""
import numpy as np
import wandb
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


class Trainer:
    def __init__(self, n_estimators=120, learning_rate=0.05, max_depth=3):
        self.params = {"n_estimators": n_estimators, "learning_rate": learning_rate, "max_depth": max_depth}

    def data(self):
        features, target = load_diabetes(return_X_y=True)
        return train_test_split(features, target, test_size=0.25, random_state=8)

    def evaluate(self, model, x_test, y_test):
        predictions = model.predict(x_test)
        return {
            "rmse": float(np.sqrt(mean_squared_error(y_test, predictions))),
            "r2": float(r2_score(y_test, predictions)),
        }

    def start_tracking(self):
        wandb.init(project="diabetes-gbr", mode="offline", dir=".")
        wandb.run.name = "gbr-baseline"
        wandb.run.tags = ("boosting",)
        wandb.config.update(self.params)

    def run(self):
        x_train, x_test, y_train, y_test = self.data()
        self.start_tracking()
        try:
            model = GradientBoostingRegressor(random_state=8, **self.params).fit(x_train, y_train)
            scores = self.evaluate(model, x_test, y_test)
            for name, value in scores.items():
                wandb.run.summary[name] = value
        finally:
            wandb.finish()
        return scores


if __name__ == "__main__":
    scores = Trainer().run()
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
