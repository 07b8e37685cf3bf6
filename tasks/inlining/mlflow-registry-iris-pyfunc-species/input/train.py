"""Gaussian naive Bayes on the iris measurements; predictions are reported as species names."""
import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

iris = load_iris()
SPECIES = list(iris.target_names)
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=4, stratify=iris.target)

model = GaussianNB(var_smoothing=1e-8).fit(X_train, y_train)
names = np.array(SPECIES)[model.predict(X_test)]
print(f"accuracy: {model.score(X_test, y_test):.4f}")
print(f"first_predictions: {' '.join(names[:5])}")
