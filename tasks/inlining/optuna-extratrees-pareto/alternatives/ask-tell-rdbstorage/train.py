"""Extra-trees classifier on a synthetic classification problem, tuned with Optuna for two
objectives: validation accuracy and the trees' summed nodes (ask-and-tell loop)."""
import optuna
from optuna.distributions import IntDistribution
from optuna.study import StudyDirection
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split

SPACE = {"n_estimators": IntDistribution(10, 80, step=10), "min_samples_leaf": IntDistribution(1, 20),
         "max_depth": IntDistribution(2, 16)}


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
        X_tr, X_val, y_tr, y_val = train_test_split(self.X_train, self.y_train, test_size=0.25,
                                                    random_state=0, stratify=self.y_train)
        storage = optuna.storages.RDBStorage("sqlite:///pareto.db")
        optuna.create_study(study_name="extratrees-size", storage=storage,
                            directions=[StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE])
        study = optuna.load_study(study_name="extratrees-size", storage=storage,
                                  sampler=optuna.samplers.NSGAIISampler(seed=5))
        for _ in range(12):
            trial = study.ask(SPACE)
            model = self.build(**trial.params).fit(X_tr, y_tr)
            study.tell(trial, [model.score(X_val, y_val), self.nodes(model)])
        front = study.best_trials
        print("pareto_trials:", sorted(t.number for t in front))
        best = max(t.values[0] for t in front)
        near = [t for t in front if t.values[0] >= best - 0.015]
        chosen = sorted(near, key=lambda t: (t.values[1], t.number))[0]
        print("chosen_trial:", chosen.number)
        model = self.build(**chosen.params).fit(self.X_train, self.y_train)
        print(f"accuracy: {model.score(self.X_test, self.y_test):.4f}")
        print(f"nodes: {self.nodes(model)}")


if __name__ == "__main__":
    ForestExperiment().run()
