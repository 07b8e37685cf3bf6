# alternative: no fluent run; MlflowClient on the --tracking-uri creates the experiment and a
# run named wine-rf, logs params and metrics one call each, saves the forest with save_model
# (cloudpickle) and uploads it with log_artifacts, then closes the run with set_terminated.
"""Random forest on the wine data set; hyperparameters come from the command line."""
import argparse
import os
import tempfile

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow.sklearn
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-estimators", type=int, default=60)
    parser.add_argument("--max-depth", type=int, default=4)
    parser.add_argument("--min-samples-leaf", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tracking-uri", default="file:./mlruns")
    parser.add_argument("--experiment", default="wine-forest")
    return parser.parse_args(argv)


def open_run(args):
    client = MlflowClient(tracking_uri=args.tracking_uri)
    experiment = client.get_experiment_by_name(args.experiment)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(args.experiment)
    return client, client.create_run(experiment_id, run_name="wine-rf").info.run_id


def main(argv=None):
    args = parse_args(argv)
    client, run_id = open_run(args)
    for name in ("n_estimators", "max_depth", "min_samples_leaf", "seed"):
        client.log_param(run_id, name, getattr(args, name))
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=args.seed, stratify=y
    )
    model = RandomForestClassifier(
        n_estimators=args.n_estimators,
        max_depth=args.max_depth,
        min_samples_leaf=args.min_samples_leaf,
        random_state=args.seed,
    )
    model.fit(X_train, y_train)
    predictions = model.predict(X_test)
    accuracy = accuracy_score(y_test, predictions)
    f1_macro = f1_score(y_test, predictions, average="macro")
    client.log_metric(run_id, "accuracy", accuracy)
    client.log_metric(run_id, "f1_macro", f1_macro)
    with tempfile.TemporaryDirectory() as folder:
        saved = os.path.join(folder, "model")
        mlflow.sklearn.save_model(model, saved, serialization_format="cloudpickle")
        client.log_artifacts(run_id, saved, artifact_path="model")
    client.set_terminated(run_id)
    print(f"accuracy: {accuracy:.4f}")
    print(f"f1_macro: {f1_macro:.4f}")


if __name__ == "__main__":
    main()
