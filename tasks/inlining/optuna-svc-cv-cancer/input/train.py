"""An RBF support vector classifier on the breast cancer data set."""
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=3, stratify=y
)
print(f"n_train: {len(X_train)}")

clf = make_pipeline(StandardScaler(), SVC(C=1.0, gamma="scale"))
clf.fit(X_train, y_train)
print(f"accuracy: {clf.score(X_test, y_test):.4f}")
print(f"n_support: {clf[-1].n_support_.sum()}")
