"""A random forest on the wine data set."""
import joblib
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

MODEL_PATH = "forest.joblib"


def load_data():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)


def train(X_train, y_train):
    return RandomForestClassifier(n_estimators=40, max_depth=5, random_state=7).fit(X_train, y_train)


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, MODEL_PATH)


if __name__ == "__main__":
    main()
