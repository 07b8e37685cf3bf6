"""Support vector classifier on PCA-reduced digits, wrapped in a class."""
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


class DigitsClassifier:
    def __init__(self, test_size=0.3, seed=0, n_components=24, C=5.0, gamma=0.02):
        self.test_size, self.seed = test_size, seed
        self.pca = PCA(n_components=n_components, random_state=seed)
        self.svc = SVC(C=C, gamma=gamma)

    def split(self):
        X, y = load_digits(return_X_y=True)
        return train_test_split(X / 16.0, y, test_size=self.test_size, random_state=self.seed, stratify=y)

    def fit(self, X, y):
        self.svc.fit(self.pca.fit_transform(X), y)
        return self

    def evaluate(self, X, y):
        predicted = self.svc.predict(self.pca.transform(X))
        return {"accuracy": accuracy_score(y, predicted), "f1_macro": f1_score(y, predicted, average="macro")}


if __name__ == "__main__":
    classifier = DigitsClassifier()
    X_train, X_test, y_train, y_test = classifier.split()
    scores = classifier.fit(X_train, y_train).evaluate(X_test, y_test)
    for name, value in scores.items():
        print(f"{name}: {value:.4f}")
