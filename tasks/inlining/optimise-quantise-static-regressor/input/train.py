"""A scaled MLP regressor on a synthetic regression problem, wrapped in a class."""
import warnings

from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Regressor:
    def __init__(self, hidden=(256,), seed=7):
        self.seed = seed
        self.pipeline = make_pipeline(
            StandardScaler(),
            MLPRegressor(hidden_layer_sizes=hidden, max_iter=150, learning_rate_init=2e-3, random_state=seed),
        )

    def data(self):
        X, y = make_regression(n_samples=2000, n_features=40, n_informative=25, noise=8.0, random_state=self.seed)
        return train_test_split(X, y, test_size=0.2, random_state=self.seed)

    def fit(self, X_train, y_train):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.pipeline.fit(X_train, y_train)
        return self

    def r2(self, X, y):
        return self.pipeline.score(X, y)


if __name__ == "__main__":
    regressor = Regressor()
    X_train, X_test, y_train, y_test = regressor.data()
    regressor.fit(X_train, y_train)
    print(f"r2: {regressor.r2(X_test, y_test):.4f}")
