"""The model: gradient-boosted trees."""
from sklearn.ensemble import GradientBoostingRegressor


def make_model(seed=2):
    return GradientBoostingRegressor(n_estimators=150, max_depth=3, learning_rate=0.1, random_state=seed)
