"""k-nearest neighbours on the wine data set, as a command line with one subcommand a step.

    python3 train.py split [--test-size 0.5] [--seed 3]       writes wine_split.npz
    python3 train.py fit [--n-neighbors 7] [--weights uniform]  writes knn.joblib
    python3 train.py score                                      prints the test scores
    python3 train.py                                            all three with the defaults
"""
import argparse

import joblib
import numpy as np
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SPLIT, MODEL = "wine_split.npz", "knn.joblib"


def split(args):
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.seed, stratify=y)
    np.savez(SPLIT, X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def fit(args):
    data = np.load(SPLIT)
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights))
    joblib.dump(model.fit(data["X_train"], data["y_train"]), MODEL)


def score(args):
    data = np.load(SPLIT)
    predicted = joblib.load(MODEL).predict(data["X_test"])
    print(f"accuracy: {accuracy_score(data['y_test'], predicted):.4f}")
    print(f"f1_macro: {f1_score(data['y_test'], predicted, average='macro'):.4f}")


def parser():
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = cli.add_subparsers(dest="step")
    step = steps.add_parser("split", help="stratified train/test split of the wine data")
    step.add_argument("--test-size", type=float, default=0.5)
    step.add_argument("--seed", type=int, default=3)
    step.set_defaults(run=split)
    step = steps.add_parser("fit", help="scaled k-nearest neighbours on the training rows")
    step.add_argument("--n-neighbors", type=int, default=7)
    step.add_argument("--weights", choices=["uniform", "distance"], default="uniform")
    step.set_defaults(run=fit)
    step = steps.add_parser("score", help="accuracy and macro F1 on the test rows")
    step.set_defaults(run=score)
    return cli


if __name__ == "__main__":
    cli = parser()
    args = cli.parse_args()
    if args.step is None:
        for name in ("split", "fit", "score"):
            step_args = cli.parse_args([name])
            step_args.run(step_args)
    else:
        args.run(args)
