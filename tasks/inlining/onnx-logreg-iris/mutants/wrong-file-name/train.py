# mutant: the ONNX model is written as model.onnx instead of iris_logreg.onnx
import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1)

model = LogisticRegression(C=0.5, max_iter=1000)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")

# The sample row fixes the graph's input: float32, 4 features.
onx = to_onnx(model, X_train[:1].astype(np.float32))
with open("model.onnx", "wb") as f:
    f.write(onx.SerializeToString())
