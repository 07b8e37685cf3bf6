"""mlflow-pyfunc-diabetes-knn: one finished run in ./mlruns's "diabetes-knn" holds one MLflow
model that takes raw diabetes rows (the training scaler included) and predicts what the
k-NN regressor predicts, and `python3 train.py --serve` serves it on 127.0.0.1:5002:
POST /invocations {"inputs": rows} answers those predictions for random rows; training and
its scores are unchanged."""
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

from benchcheck import assert_same_score, mlflow_model, mlflow_single_run, require_success
from benchcheck.mlflow_serving import as_list, assert_same_outputs, assert_serves_outputs, run_logged_model


def reference_predict():
    """The original program's scaler and regressor, refit here (deterministic): raw rows in,
    predictions out; and the test rows."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)
    scaler = StandardScaler().fit(X_train)
    regressor = KNeighborsRegressor(n_neighbors=9, weights="distance").fit(scaler.transform(X_train), y_train)
    return (lambda rows: regressor.predict(scaler.transform(rows)).tolist()), X_test


require_success()  # the program ran to the end, before anything else
assert_same_score("r2")
assert_same_score("mae")
predict, X_test = reference_predict()

client, run = mlflow_single_run("diabetes-knn")
logged = mlflow_model(run_logged_model(client, run), what="the run's logged model")
assert_same_outputs(as_list(logged.predict(X_test)), predict(X_test), "the logged model's predictions on raw rows")

# Through task.toml's `after`: what the server answered for the rows the client drew.
assert_serves_outputs(predict)
print("ok")
