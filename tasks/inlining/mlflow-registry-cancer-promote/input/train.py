"""A baseline and a retrained logistic regression on the breast cancer data set; the
retrained one replaces the baseline if its F1 score is higher."""
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Trainer:
    def __init__(self, seed=8):
        X, y = load_breast_cancer(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed, stratify=y
        )

    def fit(self, C):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
        model.fit(self.X_train, self.y_train)
        return model, f1_score(self.y_test, model.predict(self.X_test))


CANDIDATES = {"baseline": 0.002, "retrained": 0.5}

if __name__ == "__main__":
    trainer = Trainer()
    scores = {}
    for name, C in CANDIDATES.items():
        _, scores[name] = trainer.fit(C)
        print(f"{name}_f1: {scores[name]:.4f}")
    print(f"promoted: {scores['retrained'] > scores['baseline']}")
