"""Choose Ridge's alpha on the diabetes data by 5-fold cross-validation, then test it."""
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_score, train_test_split

ALPHAS = [0.01, 0.1, 1.0, 10.0]


def cv_score(alpha, X, y):
    return cross_val_score(Ridge(alpha=alpha), X, y, cv=5, scoring="r2").mean()


def main():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
    scores = {}
    for alpha in ALPHAS:
        scores[alpha] = cv_score(alpha, X_train, y_train)
        print(f"alpha={alpha}: cv_r2={scores[alpha]:.4f}")
    best_alpha = max(scores, key=scores.get)
    model = Ridge(alpha=best_alpha).fit(X_train, y_train)
    print(f"best_alpha: {best_alpha}")
    print(f"r2: {r2_score(y_test, model.predict(X_test)):.4f}")


if __name__ == "__main__":
    main()
