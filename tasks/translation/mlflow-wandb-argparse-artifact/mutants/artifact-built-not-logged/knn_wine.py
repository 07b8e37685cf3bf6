# mutant: builds a W&B Artifact holding confusion.csv but never logs it with the run
"""Scaled KNN on wine; tracked with W&B (offline)."""
import argparse

import numpy as np
import wandb
from sklearn.datasets import load_wine
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-neighbors", type=int, default=7)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    features, labels = load_wine(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=args.test_size, random_state=args.seed, stratify=labels
    )
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(args.n_neighbors, weights=args.weights))
    model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    accuracy = float(np.mean(predicted == y_test))
    np.savetxt("confusion.csv", confusion_matrix(y_test, predicted), fmt="%d", delimiter=",")

    run = wandb.init(project="wine-knn", mode="offline", dir=".", config=vars(args))
    run.summary["accuracy"] = accuracy
    artifact = wandb.Artifact("confusion", type="evaluation")
    artifact.add_file("confusion.csv")
    run.finish()
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
