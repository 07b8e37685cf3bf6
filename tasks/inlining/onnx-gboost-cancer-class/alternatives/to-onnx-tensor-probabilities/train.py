# alternative: to_onnx from a float32 sample row, probabilities as a plain tensor (no ZipMap)
"""Gradient boosting on the breast cancer data set, wrapped in a small class."""
import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

ONNX_FILE = "cancer_gboost.onnx"


class CancerBooster:
    def __init__(self, n_estimators=80, max_depth=2, learning_rate=0.1, seed=4):
        self.model = GradientBoostingClassifier(
            n_estimators=n_estimators, max_depth=max_depth, learning_rate=learning_rate, random_state=seed
        )
        self.seed = seed

    def split(self):
        X, y = load_breast_cancer(return_X_y=True)
        return train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)

    def train(self):
        X_train, X_test, y_train, y_test = self.split()
        self.model.fit(X_train, y_train)
        return {
            "accuracy": accuracy_score(y_test, self.model.predict(X_test)),
            "roc_auc": roc_auc_score(y_test, self.model.predict_proba(X_test)[:, 1]),
        }

    def export(self, path=ONNX_FILE):
        """The fitted booster as ONNX: one float input of the 30 features."""
        sample = self.split()[0][:1].astype(np.float32)
        onx = to_onnx(self.model, sample, options={id(self.model): {"zipmap": False}})
        with open(path, "wb") as handle:
            handle.write(onx.SerializeToString())


if __name__ == "__main__":
    booster = CancerBooster()
    for name, value in booster.train().items():
        print(f"{name}: {value:.4f}")
    booster.export()
