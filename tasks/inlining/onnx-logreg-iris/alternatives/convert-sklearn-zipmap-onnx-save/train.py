# alternative: convert_sklearn with explicit initial_types, default ZipMap probability output, saved with onnx.save_model
import onnx
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1)

model = LogisticRegression(C=0.5, max_iter=1000)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")

initial_types = [("float_input", FloatTensorType([None, X_train.shape[1]]))]
onnx_model = convert_sklearn(model, initial_types=initial_types, target_opset=17)
onnx.save_model(onnx_model, "iris_logreg.onnx")
