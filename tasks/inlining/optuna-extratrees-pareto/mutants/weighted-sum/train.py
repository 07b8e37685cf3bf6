# mutant: the two objectives folded into one weighted score, a single-objective study
"""Extra-trees classifier on a synthetic classification problem, tuned with Optuna for two
objectives at once: validation accuracy (up) and the trees' nodes, summed (down)."""
import optuna
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split

TOLERANCE = 0.015  # the chosen model may be this much less accurate than the most accurate one


class ForestExperiment:
    def __init__(self, seed: int = 6):
        X, y = make_classification(n_samples=800, n_features=20, n_informative=6, n_redundant=4,
                                   flip_y=0.05, class_sep=0.8, random_state=seed)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed, stratify=y)
        self.X_tr, self.X_val, self.y_tr, self.y_val = train_test_split(
            self.X_train, self.y_train, test_size=0.25, random_state=0, stratify=self.y_train)

    @staticmethod
    def build(n_estimators: int = 100, max_depth=None, min_samples_leaf: int = 1) -> ExtraTreesClassifier:
        return ExtraTreesClassifier(n_estimators=n_estimators, max_depth=max_depth,
                                    min_samples_leaf=min_samples_leaf, random_state=0)

    @staticmethod
    def nodes(model: ExtraTreesClassifier) -> int:
        return sum(tree.tree_.node_count for tree in model.estimators_)

    def objective(self, trial: optuna.Trial):
        model = self.build(
            n_estimators=trial.suggest_int("n_estimators", 10, 80, step=10),
            max_depth=trial.suggest_int("max_depth", 2, 16),
            min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 20),
        ).fit(self.X_tr, self.y_tr)
        trial.set_user_attr("accuracy", model.score(self.X_val, self.y_val))
        trial.set_user_attr("nodes", self.nodes(model))
        return model.score(self.X_val, self.y_val) - 1e-5 * self.nodes(model)

    def run(self) -> None:
        print(f"n_train: {len(self.X_train)}")
        study = optuna.create_study(study_name="extratrees-size", storage="sqlite:///pareto.db",
                                    direction="maximize",
                                    sampler=optuna.samplers.NSGAIISampler(seed=5))
        study.optimize(self.objective, n_trials=12)
        front = [study.best_trial]
        print("pareto_trials:", sorted(t.number for t in front))
        chosen = front[0]
        print(f"chosen_trial: {chosen.number}")
        model = self.build(**chosen.params).fit(self.X_train, self.y_train)
        print(f"accuracy: {model.score(self.X_test, self.y_test):.4f}")
        print(f"nodes: {self.nodes(model)}")


if __name__ == "__main__":
    ForestExperiment().run()
