"""Extra trees on the breast cancer data set."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

data = load_breast_cancer(as_frame=True)  # the 30 features as named columns
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)

model = ExtraTreesClassifier(n_estimators=50, max_depth=6, random_state=11)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")
print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")
