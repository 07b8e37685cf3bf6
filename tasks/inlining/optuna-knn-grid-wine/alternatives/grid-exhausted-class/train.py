# alternative: an objective class suggesting weights first, the grid given in another key order, no n_trials
# (the grid sampler stops the study when every point was tried), an RDBStorage object
"""Scaled k-NN on the wine data set, tuned over a grid with Optuna."""
import optuna
from sklearn.datasets import load_wine
from sklearn.model_selection import cross_val_score, train_test_split

from model import WineKNN

GRID = {"n_neighbors": [1, 3, 5, 9, 15], "weights": ["uniform", "distance"]}

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
print(f"n_train: {len(X_train)}")


class Objective:
    def __init__(self, X, y):
        self.X, self.y = X, y

    def __call__(self, trial):
        weights = trial.suggest_categorical("weights", ["uniform", "distance"])
        n_neighbors = trial.suggest_categorical("n_neighbors", [1, 3, 5, 9, 15])
        pipeline = WineKNN(n_neighbors=n_neighbors, weights=weights).pipeline
        return float(cross_val_score(pipeline, self.X, self.y, cv=4).mean())


search_space = {"weights": ["uniform", "distance"], "n_neighbors": [1, 3, 5, 9, 15]}
study = optuna.create_study(study_name="wine-knn-grid", storage=optuna.storages.RDBStorage("sqlite:///optuna.db"),
                            sampler=optuna.samplers.GridSampler(search_space, seed=0), direction="maximize")
study.optimize(Objective(X_train, y_train))  # the grid sampler stops the study once the grid is exhausted
print("best_params:", study.best_params)
print(f"accuracy: {WineKNN(**study.best_params).fit(X_train, y_train).accuracy(X_test, y_test):.4f}")
