# alternative: define-and-run search space (study.ask with fixed distributions) and
# study.tell, instead of an objective method passed to study.optimize.
"""Random forest on the wine data set, organised as a small trainer class,
with its hyperparameters tuned by Optuna."""
import optuna
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

SEARCH_SPACE = {
    "n_estimators": IntDistribution(10, 80),
    "max_depth": IntDistribution(2, 10),
    "max_features": CategoricalDistribution(["sqrt", "log2", None]),
}


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

    def validation_score(self, params):
        X_tr, X_val, y_tr, y_val = train_test_split(
            self.X_train, self.y_train, test_size=0.3, random_state=0
        )
        forest = self.build(**params).fit(X_tr, y_tr)
        return accuracy_score(y_val, forest.predict(X_val))

    def tune(self, n_trials=6):
        study = optuna.create_study(
            study_name="wine-forest",
            storage="sqlite:///wine_study.db",
            direction="maximize",
            sampler=optuna.samplers.TPESampler(seed=7),
        )
        for _ in range(n_trials):
            trial = study.ask(SEARCH_SPACE)
            study.tell(trial, self.validation_score(trial.params))
        return study


if __name__ == "__main__":
    trainer = WineTrainer()
    print(f"n_train: {len(trainer.X_train)}")
    study = trainer.tune()
    print("best_params:", study.best_params)
    trainer.fit(**study.best_params)
    print(f"accuracy: {trainer.evaluate():.4f}")
    print(f"log_loss: {trainer.test_log_loss():.4f}")
