"""Train a random forest on the wine data set and report its test accuracy; with --batch,
also check a batch of incoming measurements for drift against the training data."""
import argparse
import sys

import pandas as pd
from scipy import stats
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def drift_report(reference: pd.DataFrame, batch: pd.DataFrame) -> pd.DataFrame:
    rows = {c: stats.kstest(reference[c].to_numpy(), batch[c].to_numpy()) for c in reference.columns}
    return pd.DataFrame({"statistic": {c: r.statistic for c, r in rows.items()},
                         "p": {c: r.pvalue for c, r in rows.items()}})


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch")
    args = parser.parse_args(argv)
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    model = RandomForestClassifier(n_estimators=200, random_state=0).fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    if args.batch is None:
        return
    report = drift_report(X_train, pd.read_csv(args.batch))
    print(report.to_string(), file=sys.stderr)
    drifted = report.index[report["p"] < 0.01].tolist()
    print("drift:", "yes" if drifted else "no")
    print("drifted:", ",".join(drifted) or "none")


if __name__ == "__main__":
    main(sys.argv[1:])
