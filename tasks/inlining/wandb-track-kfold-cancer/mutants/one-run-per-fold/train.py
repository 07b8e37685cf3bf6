# mutant: a separate W&B run is started and finished for every fold instead of one run for the whole cross-validation
"""5-fold cross-validation of a logistic regression pipeline on the breast cancer data."""
import numpy as np
import wandb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from pipeline import SETTINGS, build_model

N_SPLITS = 5


X, y = load_breast_cancer(return_X_y=True)
folds = StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=8)

accuracies = []
for fold, (train_index, test_index) in enumerate(folds.split(X, y), start=1):
    run = wandb.init(
        mode="offline", project="cancer-cv", group="logreg", config={**SETTINGS, "n_splits": N_SPLITS}
    )
    model = build_model().fit(X[train_index], y[train_index])
    accuracy = accuracy_score(y[test_index], model.predict(X[test_index]))
    auc = roc_auc_score(y[test_index], model.predict_proba(X[test_index])[:, 1])
    accuracies.append(accuracy)
    wandb.log({"fold": fold, "accuracy": accuracy, "auc": auc})
    print(f"fold {fold}: accuracy={accuracy:.4f} auc={auc:.4f}")
    if fold < N_SPLITS:
        run.finish()

run.summary["mean_accuracy"] = np.mean(accuracies)
run.summary["std_accuracy"] = np.std(accuracies)
run.finish()
print(f"mean_accuracy: {np.mean(accuracies):.4f}")
print(f"std_accuracy: {np.std(accuracies):.4f}")
