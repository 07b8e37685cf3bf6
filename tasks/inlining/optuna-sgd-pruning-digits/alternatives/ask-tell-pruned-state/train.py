# alternative: ask/tell with the search space as distributions; a pruned trial is told with state PRUNED
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


SPACE = {
    "alpha": optuna.distributions.FloatDistribution(1e-6, 1e-1, log=True),
    "eta0": optuna.distributions.FloatDistribution(1e-4, 1.0, log=True),
}
study = optuna.create_study(
    study_name="sgd-digits",
    storage="sqlite:///optuna.db",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=4),
    pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
)
for _ in range(15):
    trial = study.ask(SPACE)
    model = SGDClassifier(**trial.params, learning_rate="constant", random_state=0)
    pruned = False
    for epoch in range(EPOCHS):
        model.partial_fit(X_tr, y_tr, classes=CLASSES)
        accuracy = accuracy_score(y_val, model.predict(X_val))
        trial.report(accuracy, step=epoch)
        if trial.should_prune():
            pruned = True
            break
    if pruned:
        study.tell(trial, state=optuna.trial.TrialState.PRUNED)
    else:
        study.tell(trial, accuracy)
print("best_params:", study.best_params)

model = SGDClassifier(**study.best_params, learning_rate="constant", random_state=0)
for epoch in range(EPOCHS):
    model.partial_fit(X_train, y_train, classes=CLASSES)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
