# mutant: the wrapper answers with class probabilities instead of species names
"""Gaussian naive Bayes on the iris measurements; predictions are reported as species names.
The classifier is registered in MLflow as a model that answers with the names."""
import mlflow
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

MODEL_NAME = "iris-species"


class SpeciesModel(mlflow.pyfunc.PythonModel):
    """The fitted classifier, answering with species names instead of class indices."""

    def __init__(self, classifier, species):
        self.classifier = classifier
        self.species = list(species)

    def predict(self, context, model_input, params=None):
        return self.classifier.predict_proba(np.asarray(model_input))


iris = load_iris()
SPECIES = list(iris.target_names)
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=4, stratify=iris.target)

model = GaussianNB(var_smoothing=1e-8).fit(X_train, y_train)
names = np.array(SPECIES)[model.predict(X_test)]
print(f"accuracy: {model.score(X_test, y_test):.4f}")
print(f"first_predictions: {' '.join(names[:5])}")

mlflow.set_tracking_uri("sqlite:///mlflow.db")
with mlflow.start_run():
    info = mlflow.pyfunc.log_model(
        name="model", python_model=SpeciesModel(model, SPECIES), registered_model_name=MODEL_NAME
    )
MlflowClient().set_registered_model_alias(MODEL_NAME, "live", info.registered_model_version)
