"""Scaled k-NN on the wine data set."""
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

from model import WineKNN

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
print(f"n_train: {len(X_train)}")
print(f"accuracy: {WineKNN().fit(X_train, y_train).accuracy(X_test, y_test):.4f}")
