"""Diabetes progression with a ridge regression, wrapped in a class."""
import sys

import pandas as pd
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


class ProgressionModel:
    def __init__(self, alpha=0.3):
        self.ridge = Ridge(alpha=alpha)

    def fit(self, X, y):
        self.ridge.fit(X, y)
        return self

    def report(self, X, y):
        predicted = self.ridge.predict(X)
        print(f"r2: {r2_score(y, predicted):.4f}")
        print(f"rmse: {mean_squared_error(y, predicted) ** 0.5:.4f}")


def drift_table(train: pd.DataFrame, batch: pd.DataFrame) -> pd.DataFrame:
    rows = [(c, *stats.kstest(train[c], batch[c], method="asymp")) for c in train.columns]
    return pd.DataFrame(rows, columns=["feature", "statistic", "pvalue"]).set_index("feature")


if __name__ == "__main__":
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)
    ProgressionModel().fit(X_train, y_train).report(X_test, y_test)
    if len(sys.argv) > 2 and sys.argv[1] == "--watch":
        table = drift_table(X_train, pd.read_csv(sys.argv[2]))
        print(table.round(4).to_string(), file=sys.stderr)
        for feature in table.index[table["pvalue"] < 0.01]:
            print("ALERT", feature)
