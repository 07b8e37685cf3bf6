# alternative: children created with MlflowClient.create_run(tags={"mlflow.parentRunId": ...}) under an explicit parent run
"""Choose Ridge's alpha on the diabetes data by 5-fold cross-validation, then test it."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_score, train_test_split

ALPHAS = [0.01, 0.1, 1.0, 10.0]


def cv_score(alpha, X, y):
    return cross_val_score(Ridge(alpha=alpha), X, y, cv=5, scoring="r2").mean()


def log_child(client, parent, alpha, value):
    """One finished child run of `parent` for this alpha."""
    child = client.create_run(
        parent.info.experiment_id,
        tags={MLFLOW_PARENT_RUN_ID: parent.info.run_id},
        run_name=f"alpha={alpha}",
    )
    client.log_param(child.info.run_id, "alpha", alpha)
    client.log_metric(child.info.run_id, "cv_r2", value)
    client.set_terminated(child.info.run_id, "FINISHED")


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("diabetes-ridge-sweep")
    client = MlflowClient()
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
    parent = mlflow.start_run(run_name="sweep")
    scores = {}
    for alpha in ALPHAS:
        scores[alpha] = cv_score(alpha, X_train, y_train)
        log_child(client, parent, alpha, scores[alpha])
        print(f"alpha={alpha}: cv_r2={scores[alpha]:.4f}")
    best_alpha = max(scores, key=scores.get)
    model = Ridge(alpha=best_alpha).fit(X_train, y_train)
    r2 = r2_score(y_test, model.predict(X_test))
    mlflow.log_params({"best_alpha": best_alpha})
    mlflow.log_metrics({"r2": r2})
    mlflow.sklearn.log_model(model, name="model")
    mlflow.end_run()
    print(f"best_alpha: {best_alpha}")
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
