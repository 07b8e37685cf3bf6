"""Random forest on the wine data set, configured by config.json."""
import json

from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

with open("config.json") as handle:
    config = json.load(handle)

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=config["split"]["test_size"], random_state=config["split"]["seed"], stratify=y
)
forest = RandomForestClassifier(
    n_estimators=config["forest"]["n_estimators"],
    max_depth=config["forest"]["max_depth"],
    random_state=config["forest"]["seed"],
).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, forest.predict(X_test)):.4f}")
print(f"log_loss: {log_loss(y_test, forest.predict_proba(X_test)):.4f}")
