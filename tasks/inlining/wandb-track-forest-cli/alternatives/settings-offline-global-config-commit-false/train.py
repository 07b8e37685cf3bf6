# alternative: offline mode given through wandb.Settings, the config filled after init with
# wandb.config.update(vars(args)), the two scores logged by the module-level wandb.log in two
# calls whose first does not commit (so one history row), closed with wandb.finish().
"""Extra-trees classifier on the wine data set, configured from the command line."""
import argparse

import wandb
from sklearn.datasets import load_wine
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import train_test_split


def get_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-estimators", type=int, default=80)
    parser.add_argument("--max-features", default="sqrt")
    parser.add_argument("--min-samples-split", type=int, default=4)
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=13)
    return parser.parse_args()


def main():
    args = get_args()
    wandb.init(project="wine-trees", name="extra-trees", job_type="train", tags=["baseline", "wine"],
               settings=wandb.Settings(mode="offline"))
    wandb.config.update(vars(args))
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.seed, stratify=y
    )
    model = ExtraTreesClassifier(
        n_estimators=args.n_estimators,
        max_features=args.max_features,
        min_samples_split=args.min_samples_split,
        random_state=args.seed,
    ).fit(X_train, y_train)
    predicted = model.predict(X_test)
    accuracy = accuracy_score(y_test, predicted)
    balanced_accuracy = balanced_accuracy_score(y_test, predicted)
    wandb.log({"accuracy": accuracy}, commit=False)
    wandb.log({"balanced_accuracy": balanced_accuracy})
    wandb.finish()
    print(f"accuracy: {accuracy:.4f}")
    print(f"balanced_accuracy: {balanced_accuracy:.4f}")


if __name__ == "__main__":
    main()
