"""The regressor and how it is scored."""
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, r2_score


def build():
    return HistGradientBoostingRegressor(max_iter=150, learning_rate=0.1, random_state=0)


def scores(model, X, y):
    predicted = model.predict(X)
    return {"r2": r2_score(y, predicted), "mae": mean_absolute_error(y, predicted)}
