"""Train the digit classifier from digits.csv and save it to svc.joblib."""
import joblib
from sklearn.metrics import accuracy_score

import data
import model as classifier

df = data.read()
X_train, X_test, y_train, y_test = data.split(df)
svc = classifier.build().fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, svc.predict(X_test)):.4f}")
joblib.dump(svc, "svc.joblib")
