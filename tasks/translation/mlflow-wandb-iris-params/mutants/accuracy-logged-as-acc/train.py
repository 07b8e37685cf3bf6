# mutant: logs the test accuracy under the key `acc` instead of `accuracy`
import wandb
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 0.5
MAX_ITER = 300

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=11)

run = wandb.init(project="iris-logreg", mode="offline", dir=".", config={"C": C, "max_iter": MAX_ITER})
model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
run.log({"acc": accuracy})
run.finish()

print(f"accuracy: {accuracy:.4f}")
