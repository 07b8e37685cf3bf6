"""A scaled RBF support vector classifier on the iris measurements."""
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)

model = make_pipeline(StandardScaler(), SVC(C=2.0, gamma=0.2))
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")
