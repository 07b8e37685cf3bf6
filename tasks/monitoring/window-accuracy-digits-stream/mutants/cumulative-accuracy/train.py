# mutant: each window reports the accuracy of the whole stream so far, not of its own 50 rows
"""Train a k-nearest-neighbours digit classifier and report its test accuracy; with --stream,
score a labelled stream in windows of 50 rows and name the windows that fall below 0.8."""
import argparse

import pandas as pd
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

WINDOW = 50
FLOOR = 0.8

parser = argparse.ArgumentParser()
parser.add_argument("--stream")
args = parser.parse_args()

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
knn = KNeighborsClassifier(n_neighbors=3).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")

if args.stream:
    stream = pd.read_csv(args.stream)
    pixels = stream[[f"p{i}" for i in range(64)]].to_numpy()
    correct = pd.Series(knn.predict(pixels) == stream["label"].to_numpy())
    running = correct.expanding().mean()  # the accuracy so far, read at the end of each window
    by_window = running.groupby(running.index // WINDOW).last()
    for window, value in by_window.items():
        print(f"window {window}: {value:.3f}")
    alarms = [str(w) for w, value in by_window.items() if value < FLOOR]
    print(f"alarm_windows: {', '.join(alarms) if alarms else 'none'}")
