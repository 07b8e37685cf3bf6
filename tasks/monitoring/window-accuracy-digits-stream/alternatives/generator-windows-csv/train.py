"""Train a k-nearest-neighbours digit classifier and report its test accuracy."""
import argparse
import csv
from itertools import islice

from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


def windows(path, size):
    """Successive lists of (pixels, label), `size` rows each, as a stream would arrive."""
    with open(path, newline="") as handle:
        rows = csv.DictReader(handle)
        while chunk := list(islice(rows, size)):
            yield [([float(r[f"p{i}"]) for i in range(64)], int(float(r["label"]))) for r in chunk]


class AccuracyWatch:
    def __init__(self, model, floor=0.8, size=50):
        self.model, self.floor, self.size = model, floor, size

    def low_windows(self, path):
        low = []
        for number, chunk in enumerate(windows(path, self.size)):
            predicted = self.model.predict([pixels for pixels, _ in chunk])
            accuracy = sum(int(p == label) for p, (_, label) in zip(predicted, chunk)) / len(chunk)
            if accuracy < self.floor:
                low.append(number)
        return low


parser = argparse.ArgumentParser()
parser.add_argument("--stream")
args = parser.parse_args()
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
knn = KNeighborsClassifier(n_neighbors=3).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, knn.predict(X_test)):.4f}")
if args.stream:
    low = AccuracyWatch(knn).low_windows(args.stream)
    print(f"alarm_windows: {', '.join(str(w) for w in low) or 'none'}")
