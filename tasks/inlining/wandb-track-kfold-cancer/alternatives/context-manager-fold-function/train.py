# alternative: the run as a context manager, the config built with config.update and
# item assignment after init, one helper function per fold that logs with run.log, and
# the summary set with run.summary.update.
"""5-fold cross-validation of a logistic regression pipeline on the breast cancer data."""
import numpy as np
import wandb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

import pipeline

N_SPLITS = 5


def evaluate_fold(run, fold, X, y, train_index, test_index):
    model = pipeline.build_model().fit(X[train_index], y[train_index])
    accuracy = accuracy_score(y[test_index], model.predict(X[test_index]))
    auc = roc_auc_score(y[test_index], model.predict_proba(X[test_index])[:, 1])
    run.log(dict(fold=fold, accuracy=accuracy, auc=auc))
    print(f"fold {fold}: accuracy={accuracy:.4f} auc={auc:.4f}")
    return accuracy


with wandb.init(mode="offline", project="cancer-cv", group="logreg") as run:
    run.config.update(pipeline.SETTINGS)
    run.config["n_splits"] = N_SPLITS

    X, y = load_breast_cancer(return_X_y=True)
    folds = StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=8)
    accuracies = np.array([
        evaluate_fold(run, fold, X, y, train_index, test_index)
        for fold, (train_index, test_index) in enumerate(folds.split(X, y), start=1)
    ])
    run.summary.update({"mean_accuracy": accuracies.mean(), "std_accuracy": accuracies.std()})

print(f"mean_accuracy: {accuracies.mean():.4f}")
print(f"std_accuracy: {accuracies.std():.4f}")
