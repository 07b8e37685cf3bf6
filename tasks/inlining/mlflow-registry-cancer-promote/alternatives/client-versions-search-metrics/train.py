# alternative: the aliases and the versions' runs read back through search_model_versions and the registered model
"""A baseline and a retrained logistic regression on the breast cancer data set; the
retrained one replaces the baseline if its F1 score is higher. Both are registered in
MLflow; the aliases follow the decision."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_NAME = "cancer-logreg"


class Trainer:
    def __init__(self, seed=8):
        X, y = load_breast_cancer(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed, stratify=y
        )

    def fit(self, C):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
        model.fit(self.X_train, self.y_train)
        return model, f1_score(self.y_test, model.predict(self.X_test))


CANDIDATES = {"baseline": 0.002, "retrained": 0.5}


def register(model, f1):
    """A run of its own logs the F1 score and the model, registered as the next version."""
    with mlflow.start_run():
        mlflow.log_metric("f1", f1)
        info = mlflow.sklearn.log_model(
            model, name="model", serialization_format="cloudpickle", registered_model_name=MODEL_NAME
        )
    return info.registered_model_version


def promote(client):
    """Compare the two versions' runs as the registry lists them; aliases follow."""
    versions = {str(v.version): v for v in client.search_model_versions(f"name='{MODEL_NAME}'")}
    registered = client.get_registered_model(MODEL_NAME)
    champion, challenger = registered.aliases["champion"], registered.aliases["challenger"]
    runs = {number: client.get_run(versions[str(number)].run_id) for number in (champion, challenger)}
    if runs[challenger].data.metrics["f1"] > runs[champion].data.metrics["f1"]:
        client.set_registered_model_alias(MODEL_NAME, "champion", challenger)
        client.delete_registered_model_alias(MODEL_NAME, "challenger")

if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    client = MlflowClient()
    trainer = Trainer()
    scores = {}
    for (name, C), alias in zip(CANDIDATES.items(), ("champion", "challenger")):
        model, scores[name] = trainer.fit(C)
        client.set_registered_model_alias(MODEL_NAME, alias, register(model, scores[name]))
        print(f"{name}_f1: {scores[name]:.4f}")
    promote(client)
    print(f"promoted: {scores['retrained'] > scores['baseline']}")
