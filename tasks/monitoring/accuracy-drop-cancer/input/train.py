"""Breast-cancer diagnosis with a random forest: train, then evaluate on a held-out split."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split


def load_split():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def train(X_train, y_train):
    return RandomForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train)


def evaluate(model, X, y):
    predicted = model.predict(X)
    return {"accuracy": accuracy_score(y, predicted), "f1": f1_score(y, predicted)}


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = train(X_train, y_train)
    for name, value in evaluate(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")


if __name__ == "__main__":
    main()
