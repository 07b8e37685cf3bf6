"""mlflow-saved-model-wine-names: ./wine_model is an MLflow model of the trained pipeline
(named columns in, cultivar names out), and `python3 train.py serve` serves it on
127.0.0.1:5004: GET /ping answers 200 and POST /invocations with a split DataFrame of random
wine rows answers the pipeline's cultivar names; training and its output are unchanged."""
import os

from data import load
from model import build

from benchcheck import assert_same_score, fail, mlflow_model, program_output, require_success
from benchcheck.mlflow_serving import as_list, assert_same_outputs, assert_serves_outputs

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
X_train, X_test, y_train, y_test = load()
pipeline = build().fit(X_train, y_train)  # the original program's, refit (it is deterministic)
if f"classes: {', '.join(pipeline.classes_)}" not in program_output():
    fail("the classes line is missing or changed")

if not os.path.isfile(os.path.join("wine_model", "MLmodel")):
    fail("./wine_model holds no MLflow model (no MLmodel file)")
saved = mlflow_model(os.path.abspath("wine_model"), what="the MLflow model in ./wine_model")
assert_same_outputs(as_list(saved.predict(X_test)), pipeline.predict(X_test).tolist(),
                    "the saved model's cultivar names")


def served_names(rows):
    """What the pipeline predicts for the rows the client sent, as the columns it was fit on."""
    import pandas as pd

    return pipeline.predict(pd.DataFrame(rows, columns=X_train.columns)).tolist()


# Through task.toml's `after`: GET /ping answered 200, then the names for the rows drawn.
assert_serves_outputs(served_names)
print("ok")
