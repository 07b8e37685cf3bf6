# mutant: one top-level run per alpha instead of nested child runs inside 'sweep'
"""Choose Ridge's alpha on the diabetes data by 5-fold cross-validation, then test it."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_score, train_test_split

ALPHAS = [0.01, 0.1, 1.0, 10.0]


def cv_score(alpha, X, y):
    return cross_val_score(Ridge(alpha=alpha), X, y, cv=5, scoring="r2").mean()


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("diabetes-ridge-sweep")
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
    scores = {}
    for alpha in ALPHAS:
        with mlflow.start_run(run_name=f"alpha-{alpha}"):
            scores[alpha] = cv_score(alpha, X_train, y_train)
            mlflow.log_param("alpha", alpha)
            mlflow.log_metric("cv_r2", scores[alpha])
        print(f"alpha={alpha}: cv_r2={scores[alpha]:.4f}")
    with mlflow.start_run(run_name="sweep"):
        best_alpha = max(scores, key=scores.get)
        model = Ridge(alpha=best_alpha).fit(X_train, y_train)
        r2 = r2_score(y_test, model.predict(X_test))
        mlflow.log_param("best_alpha", best_alpha)
        mlflow.log_metric("r2", r2)
        mlflow.sklearn.log_model(model, name="model")
    print(f"best_alpha: {best_alpha}")
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
