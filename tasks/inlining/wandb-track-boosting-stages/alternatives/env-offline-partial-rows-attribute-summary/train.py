# alternative: offline mode chosen through the WANDB_MODE environment variable, the run used
# as a context manager (finished on exit), each stage's row built from two run.log calls
# (the first with commit=False), and the summary set by attribute assignment.
"""Gradient boosting regression on the diabetes data, watching the test error per stage."""
import os

os.environ["WANDB_MODE"] = "offline"

import numpy as np
import wandb
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


class BoostingStudy:
    params = {"n_estimators": 40, "learning_rate": 0.08, "max_depth": 3, "random_state": 2}

    def __init__(self):
        X, y = load_diabetes(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.25, random_state=2
        )
        self.model = GradientBoostingRegressor(**self.params)

    def stage_errors(self):
        """The test MSE after each boosting stage (stage 1 first)."""
        return [mean_squared_error(self.y_test, p) for p in self.model.staged_predict(self.X_test)]

    def run(self):
        with wandb.init(project="diabetes-boosting", config=dict(self.params)) as run:
            self.model.fit(self.X_train, self.y_train)
            errors = self.stage_errors()
            for stage, error in enumerate(errors, start=1):
                run.log({"stage": stage}, commit=False)
                run.log({"test_mse": error})
            for stage in range(10, len(errors) + 1, 10):
                print(f"stage {stage}: test_mse={errors[stage - 1]:.2f}")
            best_stage = int(np.argmin(errors)) + 1
            r2 = r2_score(self.y_test, self.model.predict(self.X_test))
            run.summary.best_stage = best_stage
            run.summary.r2 = r2
        print(f"best_stage: {best_stage}")
        print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    BoostingStudy().run()
