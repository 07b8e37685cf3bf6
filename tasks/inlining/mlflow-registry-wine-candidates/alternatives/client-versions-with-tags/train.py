# alternative: MlflowClient creates the registered model, then one version per candidate (tagged at creation, linked to its run); aliases set after comparing
"""Compare two candidate classifiers on the wine data set and pick the better one."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Registry:
    """The wine-classifier entry of the SQLite registry, one version per candidate."""

    def __init__(self, uri="sqlite:///mlflow.db", name="wine-classifier"):
        mlflow.set_tracking_uri(uri)
        self.client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        self.name = name
        self.client.create_registered_model(name)
        self.versions = {}

    def add(self, candidate, model, accuracy):
        with mlflow.start_run(run_name=candidate) as run:
            mlflow.log_metric("accuracy", accuracy)
            logged = mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
        version = self.client.create_model_version(
            self.name, logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id,
            tags={"candidate": candidate},
        )
        self.versions[candidate] = version.version

    def crown(self, best):
        for candidate, version in self.versions.items():
            self.client.set_registered_model_alias(self.name, "champion" if candidate == best else "challenger", version)


X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1, stratify=y)

candidates = {
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000)),
}
registry = Registry()
scores = {}
for name, model in candidates.items():
    model.fit(X_train, y_train)
    scores[name] = model.score(X_test, y_test)
    registry.add(name, model, scores[name])
    print(f"{name}_accuracy: {scores[name]:.4f}")

best = max(scores, key=scores.get)
registry.crown(best)
print(f"best: {best}")
