# alternative: one explicit start_run/end_run per candidate, registration with mlflow.register_model afterwards, aliases in a loop
"""Compare two candidate classifiers on the wine data set and pick the better one."""
import mlflow
import mlflow.sklearn
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_NAME = "wine-classifier"


def log_candidate(name, model, accuracy):
    """Log one fitted candidate in its own run; return the run id."""
    run = mlflow.start_run(run_name=name)
    mlflow.log_metric("accuracy", accuracy)
    mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    mlflow.end_run()
    return run.info.run_id


mlflow.set_tracking_uri("sqlite:///mlflow.db")

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1, stratify=y)

candidates = {
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000)),
}
scores = {}
run_ids = {}
for name, model in candidates.items():
    model.fit(X_train, y_train)
    scores[name] = model.score(X_test, y_test)
    run_ids[name] = log_candidate(name, model, scores[name])
    print(f"{name}_accuracy: {scores[name]:.4f}")

client = MlflowClient()
versions = {}
for name, run_id in run_ids.items():  # dict order: knn -> version 1, logreg -> version 2
    version = mlflow.register_model(f"runs:/{run_id}/model", MODEL_NAME, tags={"candidate": name})
    versions[name] = version.version

best = max(scores, key=scores.get)
for name, version in versions.items():
    client.set_registered_model_alias(MODEL_NAME, "champion" if name == best else "challenger", version)
print(f"best: {best}")
