"""Extra-trees classifier on a synthetic classification problem: how accurate it is, and
how large (its trees' nodes, summed)."""
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
        model = self.build().fit(self.X_train, self.y_train)
        print(f"accuracy: {model.score(self.X_test, self.y_test):.4f}")
        print(f"nodes: {self.nodes(model)}")


if __name__ == "__main__":
    ForestExperiment().run()
