"""flask-iris-logreg: `python3 train.py serve` serves the saved model on 127.0.0.1:8000:
POST /predict {"instances": rows} answers the model's labels and class probabilities for
random rows the judge never chose in advance; training and its output are unchanged."""
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, assert_serves_model, require_success

def reference_model():
    """The original program's model, retrained here (it is deterministic)."""
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
    return LogisticRegression(C=2.0, max_iter=500).fit(X_train, y_train)


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_serves_model(reference_model(), probabilities="probabilities")  # through task.toml's `after`
print("ok")
