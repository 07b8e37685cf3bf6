"""A synthetic penguin survey as the CSV the training job reads (fixed seed: the same file
every time): species, island, bill and flipper measurements, body mass and sex (left
empty where it was not recorded). With faults, the same file broken on purpose (for
testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), category (one unknown label), dtype (one value that is not a number)."""
import argparse

import numpy as np
import pandas as pd

SPECIES = {  # bill length, bill depth, flipper length, body mass (means), islands
    "Adelie": (38.8, 18.3, 190, 3700, ["Biscoe", "Dream", "Torgersen"]),
    "Chinstrap": (48.8, 18.4, 196, 3730, ["Dream"]),
    "Gentoo": (47.5, 15.0, 217, 5080, ["Biscoe"]),
}


def frame(rows=300):
    rng = np.random.default_rng(0)
    species = rng.choice(list(SPECIES), size=rows, p=[0.45, 0.2, 0.35])
    records = []
    for name in species:
        bill, depth, flipper, mass, islands = SPECIES[name]
        records.append({
            "species": name,
            "island": rng.choice(islands),
            "bill_length_mm": round(float(np.clip(rng.normal(bill, 2.5), 32, 58)), 1),
            "bill_depth_mm": round(float(np.clip(rng.normal(depth, 0.9), 13.5, 21.5)), 1),
            "flipper_length_mm": int(np.clip(rng.normal(flipper, 6), 172, 231)),
            "body_mass_g": int(np.clip(rng.normal(mass, 400), 2800, 6200)),
            "sex": rng.choice(["male", "female"]) if rng.random() > 0.05 else None,
        })
    return pd.DataFrame.from_records(records)


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[14, column] = None
    elif kind == "range":
        df.loc[40, column] = df[column].max() * 5
    elif kind == "category":
        df.loc[22, column] = "Atlantis"
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[31, column] = "heavy"
    else:
        raise SystemExit(f"unknown fault kind {kind!r}")
    return df


def export(path, faults=()):
    df = frame()
    for fault in faults:
        kind, column = fault.split(":")
        df = break_column(df, kind, column)
    df.to_csv(path, index=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--fault", action="append", default=[])
    args = parser.parse_args()
    export(args.out, args.fault)
