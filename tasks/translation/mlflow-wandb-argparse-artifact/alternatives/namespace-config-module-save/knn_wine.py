# alternative: the argparse Namespace passed as config, the module-level wandb.log / wandb.save / wandb.finish, helper functions
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


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-neighbors", type=int, default=7)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args()


def evaluate(args):
    features, labels = load_wine(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=args.test_size, random_state=args.seed, stratify=labels
    )
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(args.n_neighbors, weights=args.weights))
    predicted = model.fit(x_train, y_train).predict(x_test)
    np.savetxt("confusion.csv", confusion_matrix(y_test, predicted), fmt="%d", delimiter=",")
    return float(np.mean(predicted == y_test))


def main():
    args = parse_args()
    wandb.init(project="wine-knn", mode="offline", dir=".", config=args)
    accuracy = evaluate(args)
    wandb.log({"accuracy": accuracy})
    wandb.save("confusion.csv", policy="now")
    wandb.finish()
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
