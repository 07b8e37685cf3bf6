"""Train a k-nearest-neighbours digit classifier and report its test accuracy."""
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
knn = KNeighborsClassifier(n_neighbors=3).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")
