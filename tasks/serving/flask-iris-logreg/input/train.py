"""Logistic regression on the iris data set."""
import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
model = LogisticRegression(C=2.0, max_iter=500).fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")
joblib.dump(model, "model.joblib")
