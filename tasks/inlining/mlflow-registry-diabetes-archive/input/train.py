"""Three regressor families on the diabetes data set, compared by test RMSE."""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load_split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=13)


def candidates():
    return {
        "lasso": Lasso(alpha=0.1),
        "forest": RandomForestRegressor(n_estimators=60, max_depth=6, random_state=13),
        "knn": make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=3)),
    }


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def main():
    X_train, X_test, y_train, y_test = load_split()
    scores = {}
    for family, model in candidates().items():
        model.fit(X_train, y_train)
        scores[family] = rmse(model, X_test, y_test)
        print(f"{family}_rmse: {scores[family]:.4f}")
    print(f"best: {min(scores, key=scores.get)}")
    print(f"worst: {max(scores, key=scores.get)}")


if __name__ == "__main__":
    main()
