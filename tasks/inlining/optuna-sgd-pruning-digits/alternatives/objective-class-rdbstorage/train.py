# alternative: a callable objective class (eta0 suggested first), an RDBStorage object, the model's own score
"""Linear classifier on the digits data set, trained epoch by epoch with SGD, tuned with
Optuna: every epoch's validation accuracy is reported, and unpromising trials are pruned."""
import numpy as np
import optuna
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

EPOCHS = 8

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
print(f"n_train: {len(X_train)}")
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0, stratify=y_train)
CLASSES = np.unique(y)


class Objective:
    """Trains for EPOCHS epochs, reporting after each; the pruner may stop it early."""

    def __init__(self, X_fit, y_fit, X_eval, y_eval):
        self.data = X_fit, y_fit, X_eval, y_eval

    def __call__(self, trial):
        X_fit, y_fit, X_eval, y_eval = self.data
        eta0 = trial.suggest_float("eta0", 1e-4, 1.0, log=True)
        alpha = trial.suggest_float("alpha", 1e-6, 1e-1, log=True)
        model = SGDClassifier(alpha=alpha, eta0=eta0, learning_rate="constant", random_state=0)
        for step in range(EPOCHS):
            model.partial_fit(X_fit, y_fit, classes=CLASSES)
            score = model.score(X_eval, y_eval)
            trial.report(score, step)
            if trial.should_prune():
                raise optuna.exceptions.TrialPruned(f"pruned at epoch {step}")
        return score


def main():
    storage = optuna.storages.RDBStorage("sqlite:///optuna.db")
    study = optuna.create_study(
        storage=storage, study_name="sgd-digits", direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=4),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    )
    study.optimize(Objective(X_tr, y_tr, X_val, y_val), n_trials=15)
    best = study.best_trial.params
    print("best_params:", best)
    model = SGDClassifier(alpha=best["alpha"], eta0=best["eta0"], learning_rate="constant", random_state=0)
    for _ in range(EPOCHS):
        model.partial_fit(X_train, y_train, classes=CLASSES)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")


main()
