# mutant: only the SVC step is logged, the StandardScaler of the pipeline is lost
"""An RBF support vector classifier on a synthetic binary problem."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


class SVCExperiment:
    C = 2.0
    gamma = "scale"
    kernel = "rbf"

    def __init__(self, seed=5):
        X, y = make_classification(
            n_samples=600, n_features=12, n_informative=6, flip_y=0.05, random_state=seed
        )
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed
        )

    def build(self):
        return make_pipeline(StandardScaler(), SVC(C=self.C, gamma=self.gamma, kernel=self.kernel))

    def evaluate(self, model):
        predicted = model.predict(self.X_test)
        return {
            "accuracy": accuracy_score(self.y_test, predicted),
            "precision": precision_score(self.y_test, predicted),
            "recall": recall_score(self.y_test, predicted),
        }

    def run(self):
        mlflow.set_tracking_uri("file:./mlruns")
        mlflow.set_experiment("synthetic-svc")
        with mlflow.start_run():
            mlflow.log_params({"C": self.C, "gamma": self.gamma, "kernel": self.kernel})
            model = self.build().fit(self.X_train, self.y_train)
            scores = self.evaluate(model)
            mlflow.log_metrics(scores)
            mlflow.sklearn.log_model(model[-1], name="model", input_example=self.X_train[:5])
        for name, value in scores.items():
            print(f"{name}: {value:.4f}")
        return model


if __name__ == "__main__":
    SVCExperiment().run()
