"""A support-vector classifier of handwritten digits, trained by a small trainer class."""
import pickle

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


class DigitsTrainer:
    """Loads the 8x8 digits, fits an RBF SVC on a split of them, scores and saves it."""

    def __init__(self, C=5.0, gamma=0.0015, test_size=0.2, seed=4):
        self.model = SVC(C=C, gamma=gamma)
        self.test_size = test_size
        self.seed = seed

    def load(self):
        X, y = load_digits(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=self.seed, stratify=y)
        return self

    def fit(self):
        self.model.fit(self.X_train, self.y_train)
        return self

    def evaluate(self):
        return self.model.score(self.X_test, self.y_test)

    def save(self, path="digits_svc.pkl"):
        with open(path, "wb") as out:
            pickle.dump(self.model, out)


if __name__ == "__main__":
    trainer = DigitsTrainer().load().fit()
    print(f"accuracy: {trainer.evaluate():.4f}")
    trainer.save()
