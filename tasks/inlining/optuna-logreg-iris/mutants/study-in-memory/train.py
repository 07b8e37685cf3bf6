# mutant: the study is created without storage=, so it lives in memory and nothing is stored in optuna.db
import optuna
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42, stratify=y
)
print(f"n_train: {len(X_train)}")

# Tune on a validation split of the training data; the test split stays unseen.
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)


def objective(trial):
    C = trial.suggest_float("C", 1e-3, 100, log=True)
    model = LogisticRegression(C=C, max_iter=1000).fit(X_tr, y_tr)
    return accuracy_score(y_val, model.predict(X_val))


study = optuna.create_study(
    study_name="iris-logreg",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=0),
)
study.optimize(objective, n_trials=8)
print("best_params:", study.best_params)

model = LogisticRegression(max_iter=1000, **study.best_params)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.4f}")
print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")
