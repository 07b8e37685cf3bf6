# alternative: the run started with the pipeline settings as config and n_splits added through
# the global wandb.config; every fold logged through wandb.run.log at an explicit step (the
# fold number); the summary written through the global wandb.summary; wandb.finish() closes.
"""5-fold cross-validation of a logistic regression pipeline on the breast cancer data."""
import numpy as np
import wandb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

import pipeline
from pipeline import build_model

N_SPLITS = 5

wandb.init(mode="offline", project="cancer-cv", group="logreg", config=dict(pipeline.SETTINGS))
wandb.config.update({"n_splits": N_SPLITS})

X, y = load_breast_cancer(return_X_y=True)
folds = StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=8)

accuracies = []
for fold, (train_index, test_index) in enumerate(folds.split(X, y), start=1):
    model = build_model().fit(X[train_index], y[train_index])
    accuracy = accuracy_score(y[test_index], model.predict(X[test_index]))
    auc = roc_auc_score(y[test_index], model.predict_proba(X[test_index])[:, 1])
    accuracies.append(accuracy)
    wandb.run.log({"fold": fold, "accuracy": accuracy, "auc": auc}, step=fold)
    print(f"fold {fold}: accuracy={accuracy:.4f} auc={auc:.4f}")

wandb.summary["mean_accuracy"] = float(np.mean(accuracies))
wandb.summary["std_accuracy"] = float(np.std(accuracies))
wandb.finish()

print(f"mean_accuracy: {np.mean(accuracies):.4f}")
print(f"std_accuracy: {np.std(accuracies):.4f}")
