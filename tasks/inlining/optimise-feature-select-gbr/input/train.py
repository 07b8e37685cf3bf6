"""Train the gradient boosting model on all 30 columns and report its test R²."""
from data import load_split
from model import make_model


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = make_model().fit(X_train, y_train)
    print(f"r2: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
