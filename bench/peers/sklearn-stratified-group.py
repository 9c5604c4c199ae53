"""Peer: scikit-learn's StratifiedGroupKFold as a train/validation/test splitter.

Reads a CSV with `group` and `label` columns, runs StratifiedGroupKFold(n_splits=K,
shuffle=True, random_state=seed) for each seed and maps folds to splits: the first
K - 2 folds are train, fold K - 2 validation, fold K - 1 test (K = 10 gives 0.8/0.1/0.1,
K = 5 gives 0.6/0.2/0.2). Prints one JSON object: per seed, the split of each row.
Usage: sklearn-stratified-group.py data.csv K seed [seed ...]
"""

import json
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold


def main() -> None:
    path, k, seeds = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3:]]
    df = pd.read_csv(path)
    out = {}
    for seed in seeds:
        split_of = np.zeros(len(df), dtype=np.int8)
        folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        for fold, (_, rows) in enumerate(folds.split(df, df["label"], df["group"])):
            split_of[rows] = 0 if fold < k - 2 else 1 if fold == k - 2 else 2
        out[seed] = split_of.tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
