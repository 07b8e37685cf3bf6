# alternative: the classifier shipped as a joblib artifact, loaded in load_context; registered afterwards from the run
"""Gaussian naive Bayes on the iris measurements; predictions are reported as species names.
The classifier is registered in MLflow as a model that answers with the names."""
import joblib
import mlflow
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

MODEL_NAME = "iris-species"


class SpeciesModel(mlflow.pyfunc.PythonModel):
    """Loads the classifier saved with joblib as an artifact; answers with species names."""

    def load_context(self, context):
        import joblib
        self.classifier = joblib.load(context.artifacts["classifier"])
        self.species = ["setosa", "versicolor", "virginica"]

    def predict(self, context, model_input, params=None):
        return [self.species[i] for i in self.classifier.predict(np.asarray(model_input))]


iris = load_iris()
SPECIES = list(iris.target_names)
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=4, stratify=iris.target)

model = GaussianNB(var_smoothing=1e-8).fit(X_train, y_train)
names = np.array(SPECIES)[model.predict(X_test)]
print(f"accuracy: {model.score(X_test, y_test):.4f}")
print(f"first_predictions: {' '.join(names[:5])}")

mlflow.set_tracking_uri("sqlite:///mlflow.db")
joblib.dump(model, "classifier.joblib")
with mlflow.start_run() as run:
    mlflow.pyfunc.log_model(
        name="model", python_model=SpeciesModel(), artifacts={"classifier": "classifier.joblib"}
    )
version = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
MlflowClient().set_registered_model_alias(MODEL_NAME, "live", version.version)
