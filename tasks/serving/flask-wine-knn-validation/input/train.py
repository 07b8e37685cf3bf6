"""A scaled k-nearest-neighbours classifier of wines, its settings read from config.json."""
import json

import joblib
from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

with open("config.json") as settings:
    config = json.load(settings)

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config["test_size"],
                                                    random_state=config["seed"], stratify=y)
model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=config["n_neighbors"],
                                                             weights=config["weights"]))
model.fit(X_train, y_train)
predictions = model.predict(X_test)
print(f"accuracy: {(predictions == y_test).mean():.4f}")
print(f"balanced_accuracy: {balanced_accuracy_score(y_test, predictions):.4f}")
joblib.dump(model, config["model_path"])
