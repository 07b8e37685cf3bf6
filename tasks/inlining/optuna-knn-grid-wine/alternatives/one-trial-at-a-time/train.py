# alternative: optimize called once per grid point in a loop (load_if_exists), printing each trial
"""Scaled k-NN on the wine data set, tuned over a grid with Optuna."""
import optuna
from sklearn.datasets import load_wine
from sklearn.model_selection import cross_val_score, train_test_split

from model import WineKNN

GRID = {"n_neighbors": [1, 3, 5, 9, 15], "weights": ["uniform", "distance"]}

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
print(f"n_train: {len(X_train)}")


def objective(trial):
    model = WineKNN(
        n_neighbors=trial.suggest_categorical("n_neighbors", GRID["n_neighbors"]),
        weights=trial.suggest_categorical("weights", GRID["weights"]),
    )
    return cross_val_score(model.pipeline, X_train, y_train, cv=4).mean()


study = optuna.create_study(
    study_name="wine-knn-grid",
    storage="sqlite:///optuna.db",
    direction="maximize",
    sampler=optuna.samplers.GridSampler(GRID, seed=0),
    load_if_exists=True,
)
# One trial per call, reporting as it goes (ask/tell cannot end a grid study: the grid
# sampler stops the study from inside optimize once the grid is exhausted).
for point in range(len(GRID["n_neighbors"]) * len(GRID["weights"])):
    study.optimize(objective, n_trials=1)
    last = study.trials[-1]
    print(f"trial {last.number}: {last.params} -> {last.value:.4f}")
print("best_params:", study.best_params)
print(f"accuracy: {WineKNN(**study.best_params).fit(X_train, y_train).accuracy(X_test, y_test):.4f}")
