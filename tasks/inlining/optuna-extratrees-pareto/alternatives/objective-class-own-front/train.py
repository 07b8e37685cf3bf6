"""Extra-trees classifier on a synthetic classification problem, tuned with Optuna for two
objectives; the Pareto front is computed here from the stored trials."""
import optuna
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split


class ForestExperiment:
    def __init__(self, seed: int = 6):
        X, y = make_classification(n_samples=800, n_features=20, n_informative=6, n_redundant=4,
                                   flip_y=0.05, class_sep=0.8, random_state=seed)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed, stratify=y)

    @staticmethod
    def build(n_estimators: int = 100, max_depth=None, min_samples_leaf: int = 1) -> ExtraTreesClassifier:
        return ExtraTreesClassifier(n_estimators=n_estimators, max_depth=max_depth,
                                    min_samples_leaf=min_samples_leaf, random_state=0)

    @staticmethod
    def nodes(model: ExtraTreesClassifier) -> int:
        return sum(tree.tree_.node_count for tree in model.estimators_)

    def run(self) -> None:
        print(f"n_train: {len(self.X_train)}")
        objective = Objective(self)
        study = optuna.create_study(study_name="extratrees-size", storage="sqlite:///pareto.db",
                                    directions=["maximize", "minimize"],
                                    sampler=optuna.samplers.NSGAIISampler(seed=5, population_size=20))
        study.optimize(objective, n_trials=12)
        trials = optuna.load_study(study_name="extratrees-size", storage="sqlite:///pareto.db").trials

        def dominated(a):
            return any(b.values[0] >= a.values[0] and b.values[1] <= a.values[1] and b.values != a.values
                       for b in trials)

        front = [t for t in trials if not dominated(t)]
        print(f"pareto_trials: {[t.number for t in front]}")
        best = max(t.values[0] for t in front)
        chosen = min((t for t in front if t.values[0] >= best - 0.015), key=lambda t: t.values[1])
        print(f"chosen_trial: {chosen.number}")
        model = self.build(**chosen.params).fit(self.X_train, self.y_train)
        print(f"accuracy: {model.score(self.X_test, self.y_test):.4f}")
        print(f"nodes: {self.nodes(model)}")


class Objective:
    def __init__(self, experiment: ForestExperiment):
        self.experiment = experiment
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(
            experiment.X_train, experiment.y_train, test_size=0.25, random_state=0, stratify=experiment.y_train)

    def __call__(self, trial):
        max_depth = trial.suggest_int("max_depth", 2, 16)
        leaf = trial.suggest_int("min_samples_leaf", 1, 20)
        trees = trial.suggest_int("n_estimators", 10, 80, step=10)
        model = self.experiment.build(trees, max_depth, leaf).fit(self.X_tr, self.y_tr)
        return model.score(self.X_val, self.y_val), self.experiment.nodes(model)


if __name__ == "__main__":
    ForestExperiment().run()
