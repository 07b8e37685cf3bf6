"""flask-diabetes-gbr-argparse: `python3 train.py --serve --port 5123 --model small.joblib`
serves the model a run with `--n-estimators 60 --max-depth 2 --model small.joblib` saved:
POST /predict with a JSON list of random diabetes rows answers the list of that model's
predictions (numbers); training and its output are unchanged."""
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, assert_serves_model, require_success


def fitted_model(n_estimators, max_depth):
    """The original program's model for these options, retrained here (it is deterministic)."""
    X, y = load_diabetes(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=11)
    return GradientBoostingRegressor(n_estimators=n_estimators, learning_rate=0.05, max_depth=max_depth,
                                     subsample=0.8, random_state=11).fit(X_train, y_train)


require_success()  # the program ran to the end, before anything else
assert_same_score("r2")
assert_same_score("rmse")
# task.toml's `after`: the model of --n-estimators 60 --max-depth 2, served from small.joblib
assert_serves_model(fitted_model(60, 2), answer=None, regression=True, tolerance=1e-6)
print("ok")
