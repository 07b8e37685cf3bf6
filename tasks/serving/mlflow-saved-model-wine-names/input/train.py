"""Train the wine cultivar classifier and report its test accuracy."""
from data import load
from model import build

X_train, X_test, y_train, y_test = load()
pipeline = build().fit(X_train, y_train)
print(f"accuracy: {pipeline.score(X_test, y_test):.4f}")
print("classes:", ", ".join(pipeline.classes_))
