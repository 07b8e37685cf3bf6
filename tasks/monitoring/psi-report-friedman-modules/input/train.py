"""Train the Friedman regressor and print its test scores."""
import data
import model as regressor


def main():
    X_train, X_test, y_train, y_test = data.split()
    model = regressor.build().fit(X_train, y_train)
    for name, value in regressor.scores(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")


if __name__ == "__main__":
    main()
