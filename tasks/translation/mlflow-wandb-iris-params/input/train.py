import mlflow
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 0.5
MAX_ITER = 300

mlflow.set_tracking_uri("file:./mlruns")
mlflow.set_experiment("iris-logreg")

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=11)

with mlflow.start_run():
    mlflow.log_params({"C": C, "max_iter": MAX_ITER})
    model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    mlflow.log_metric("accuracy", accuracy)

print(f"accuracy: {accuracy:.4f}")
