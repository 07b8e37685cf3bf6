"""One gradient-boosted tree ensemble per body measurement, and its scores."""
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.multioutput import MultiOutputRegressor


def build(n_estimators, learning_rate, max_depth, seed):
    return MultiOutputRegressor(GradientBoostingRegressor(
        n_estimators=n_estimators, learning_rate=learning_rate, max_depth=max_depth, random_state=seed))


def scores(model, X, Y):
    """RMSE and MAE over the three measurements of the rows X."""
    predicted = model.predict(X)
    return {"rmse": float(np.sqrt(mean_squared_error(Y, predicted))), "mae": float(mean_absolute_error(Y, predicted))}
