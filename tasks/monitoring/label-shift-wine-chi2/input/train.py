"""A k-nearest-neighbours wine classifier, wrapped in a class."""
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class WineClassifier:
    def __init__(self, n_neighbors=7):
        self.model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors))

    def fit(self, X, y):
        self.model.fit(X, y)
        return self

    def accuracy(self, X, y):
        return self.model.score(X, y)


if __name__ == "__main__":
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    classifier = WineClassifier().fit(X_train, y_train)
    print(f"accuracy: {classifier.accuracy(X_test, y_test):.4f}")
