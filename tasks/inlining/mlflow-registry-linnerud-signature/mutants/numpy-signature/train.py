# mutant: the signature is inferred from bare arrays, so it names neither inputs nor outputs
"""Predict three body measurements from three exercises (Linnerud), with a small class;
the model is registered in MLflow with a signature naming its inputs and outputs."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.models import infer_signature
from sklearn.cross_decomposition import PLSRegression
from sklearn.datasets import load_linnerud
from sklearn.metrics import mean_absolute_error

MODEL_NAME = "linnerud-pls"


class FitnessModel:
    def __init__(self, n_components=2):
        self.model = PLSRegression(n_components=n_components)

    def data(self):
        bunch = load_linnerud(as_frame=True)
        X, Y = bunch.data, bunch.target
        return X.iloc[:15], X.iloc[15:], Y.iloc[:15], Y.iloc[15:]

    def train(self):
        X_train, X_test, Y_train, Y_test = self.data()
        self.model.fit(X_train, Y_train)
        return mean_absolute_error(Y_test, self.model.predict(X_test))

    def register(self, mae):
        X_train, _, Y_train, _ = self.data()
        # Inputs and outputs as DataFrames: the signature names the exercises and the targets.
        signature = infer_signature(X_train.to_numpy(), Y_train.to_numpy())
        with mlflow.start_run():
            mlflow.log_metric("mae", mae)
            info = mlflow.sklearn.log_model(
                self.model, name="model", signature=signature, input_example=X_train.head(3),
                registered_model_name=MODEL_NAME,
            )
        MlflowClient().set_registered_model_alias(MODEL_NAME, "champion", info.registered_model_version)


if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    fitness = FitnessModel()
    mae = fitness.train()
    fitness.register(mae)
    print(f"mae: {mae:.4f}")
