"""Linear classifier on the digits data set, trained epoch by epoch with SGD."""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

EPOCHS = 8

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
print(f"n_train: {len(X_train)}")

model = SGDClassifier(alpha=1e-4, learning_rate="constant", eta0=0.01, random_state=0)
for epoch in range(EPOCHS):
    model.partial_fit(X_train, y_train, classes=np.unique(y))
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
