# alternative: the run opened in a `with` block, the config set item by item on run.config,
# the accuracy recorded with run.log (its last value becomes the summary)
import wandb
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 0.5
MAX_ITER = 300

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=11)

with wandb.init(project="iris-logreg", mode="offline", dir=".") as run:
    run.config["C"] = C
    run.config["max_iter"] = MAX_ITER
    model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    run.log({"accuracy": accuracy})

print(f"accuracy: {accuracy:.4f}")
