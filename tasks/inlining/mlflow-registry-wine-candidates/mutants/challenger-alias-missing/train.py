# mutant: only the champion alias is set; the other candidate gets no 'challenger' alias
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

MODEL_NAME = "wine-classifier"
mlflow.set_tracking_uri("sqlite:///mlflow.db")
client = MlflowClient()

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1, stratify=y)

candidates = {
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000)),
}
scores = {}
versions = {}
for name, model in candidates.items():
    model.fit(X_train, y_train)
    scores[name] = model.score(X_test, y_test)
    with mlflow.start_run(run_name=name):
        mlflow.log_metric("accuracy", scores[name])
        info = mlflow.sklearn.log_model(
            model, name="model", serialization_format="cloudpickle", registered_model_name=MODEL_NAME
        )
    versions[name] = info.registered_model_version
    client.set_model_version_tag(MODEL_NAME, versions[name], "candidate", name)
    print(f"{name}_accuracy: {scores[name]:.4f}")

best = max(scores, key=scores.get)
other = next(name for name in candidates if name != best)
client.set_registered_model_alias(MODEL_NAME, "champion", versions[best])
print(f"best: {best}")
