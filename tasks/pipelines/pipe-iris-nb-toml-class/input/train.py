"""Gaussian naive Bayes on the iris features that best separate the species, in a class."""
from sklearn.datasets import load_iris
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB


class IrisNaiveBayes:
    def __init__(self, test_size=0.4, seed=5, k=2, var_smoothing=1e-9):
        self.test_size, self.seed = test_size, seed
        self.selector = SelectKBest(f_classif, k=k)
        self.model = GaussianNB(var_smoothing=var_smoothing)

    def split(self):
        X, y = load_iris(return_X_y=True)
        return train_test_split(X, y, test_size=self.test_size, random_state=self.seed, stratify=y)

    def fit(self, X, y):
        self.model.fit(self.selector.fit_transform(X, y), y)
        return self

    def scores(self, X, y):
        X = self.selector.transform(X)
        return {"accuracy": accuracy_score(y, self.model.predict(X)),
                "log_loss": log_loss(y, self.model.predict_proba(X))}


if __name__ == "__main__":
    nb = IrisNaiveBayes()
    X_train, X_test, y_train, y_test = nb.split()
    for name, value in nb.fit(X_train, y_train).scores(X_test, y_test).items():
        print(f"{name}: {value:.4f}")
