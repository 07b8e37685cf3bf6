"""k-nearest-neighbours classifier on the digits data set."""
from sklearn.metrics import accuracy_score, log_loss
from sklearn.neighbors import KNeighborsClassifier

from data import load_split

X_train, X_test, y_train, y_test = load_split()
print(f"n_train: {len(X_train)}")

knn = KNeighborsClassifier(n_neighbors=5)
knn.fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")
print(f"log_loss: {log_loss(y_test, knn.predict_proba(X_test)):.4f}")
