"""Random forest on the digits data set, saved with joblib."""
import joblib
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

forest = RandomForestClassifier(n_estimators=150, random_state=0)
forest.fit(X_train, y_train)
print(f"accuracy: {forest.score(X_test, y_test):.4f}")

joblib.dump(forest, "forest.joblib")
