"""A support vector classifier on the digits data set, wrapped in a small trainer class."""
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


class DigitsTrainer:
    def __init__(self, C=5.0, gamma=0.001, seed=2):
        self.C, self.gamma, self.seed = C, gamma, seed
        self.model = None

    def split(self):
        X, y = load_digits(return_X_y=True)
        return train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)

    def fit(self, X_train, y_train):
        self.model = SVC(C=self.C, gamma=self.gamma).fit(X_train, y_train)
        return self.model

    def report(self, X_test, y_test):
        predicted = self.model.predict(X_test)
        print(f"accuracy: {accuracy_score(y_test, predicted):.4f}")
        print(f"f1_macro: {f1_score(y_test, predicted, average='macro'):.4f}")


if __name__ == "__main__":
    trainer = DigitsTrainer()
    X_train, X_test, y_train, y_test = trainer.split()
    trainer.fit(X_train, y_train)
    trainer.report(X_test, y_test)
