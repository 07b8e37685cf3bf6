"""Predict three body measurements from three exercises (Linnerud), with a small class."""
from sklearn.cross_decomposition import PLSRegression
from sklearn.datasets import load_linnerud
from sklearn.metrics import mean_absolute_error


class FitnessModel:
    def __init__(self, n_components=2):
        self.model = PLSRegression(n_components=n_components)

    def data(self):
        bunch = load_linnerud(as_frame=True)
        X, Y = bunch.data, bunch.target
        return X.iloc[:15], X.iloc[15:], Y.iloc[:15], Y.iloc[15:]

    def train(self):
        X_train, X_test, Y_train, Y_test = self.data()
        self.model.fit(X_train, Y_train)
        return mean_absolute_error(Y_test, self.model.predict(X_test))


if __name__ == "__main__":
    print(f"mae: {FitnessModel().train():.4f}")
