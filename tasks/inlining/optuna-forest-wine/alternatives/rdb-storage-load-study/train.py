# alternative: the storage as an RDBStorage object, the study created with
# load_if_exists=True and reopened with optuna.load_study (seeded TPE passed there), and
# a callable objective object instead of a method; best params from study.best_trial.
"""Random forest on the wine data set, organised as a small trainer class,
with its hyperparameters tuned by Optuna."""
import optuna
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split


class WineTrainer:
    def __init__(self, random_state=0):
        self.random_state = random_state
        X, y = load_wine(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.25, random_state=random_state, stratify=y
        )

    def build(self, **params):
        return RandomForestClassifier(random_state=self.random_state, **params)

    def fit(self, **params):
        self.model = self.build(**params).fit(self.X_train, self.y_train)
        return self.model

    def evaluate(self):
        return accuracy_score(self.y_test, self.model.predict(self.X_test))

    def test_log_loss(self):
        return log_loss(self.y_test, self.model.predict_proba(self.X_test))


class ForestObjective:
    """Validation accuracy of the trainer's forest with the trial's parameters."""

    def __init__(self, trainer):
        self.trainer = trainer
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(
            trainer.X_train, trainer.y_train, test_size=0.3, random_state=0
        )

    def __call__(self, trial):
        forest = self.trainer.build(
            n_estimators=trial.suggest_int("n_estimators", 10, 80),
            max_depth=trial.suggest_int("max_depth", 2, 10),
            max_features=trial.suggest_categorical("max_features", ["sqrt", "log2", None]),
        ).fit(self.X_tr, self.y_tr)
        return accuracy_score(self.y_val, forest.predict(self.X_val))


def tune(trainer, n_trials=6):
    storage = optuna.storages.RDBStorage("sqlite:///wine_study.db")
    optuna.create_study(study_name="wine-forest", storage=storage, direction="maximize", load_if_exists=True)
    study = optuna.load_study(
        study_name="wine-forest", storage=storage, sampler=optuna.samplers.TPESampler(seed=7)
    )
    study.optimize(ForestObjective(trainer), n_trials=n_trials)
    return study.best_trial.params


if __name__ == "__main__":
    trainer = WineTrainer()
    print(f"n_train: {len(trainer.X_train)}")
    best_params = tune(trainer)
    print("best_params:", best_params)
    trainer.fit(**best_params)
    print(f"accuracy: {trainer.evaluate():.4f}")
    print(f"log_loss: {trainer.test_log_loss():.4f}")
