"""Gradient boosting on the breast cancer data set."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

data = load_breast_cancer(as_frame=True)  # the 30 features as named columns
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)

model = GradientBoostingClassifier(n_estimators=60, learning_rate=0.1, max_depth=2, random_state=11)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")
print(f"roc_auc: {roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]):.4f}")
