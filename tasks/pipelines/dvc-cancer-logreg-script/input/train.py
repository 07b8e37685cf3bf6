"""Logistic regression on the breast cancer data set."""
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

TEST_SIZE, SEED = 0.25, 42
C, MAX_ITER = 1.0, 1000

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=TEST_SIZE, random_state=SEED, stratify=y
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")
