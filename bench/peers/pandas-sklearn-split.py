"""Peer: pandas reads the file, scikit-learn's train_test_split runs twice, pyarrow writes Arrow IPC."""

import os
import time

import pandas as pd
import pyarrow as pa
from peer_io import parse_args, report, write_arrow_file
from sklearn.model_selection import train_test_split

READERS = {"csv": pd.read_csv, "parquet": pd.read_parquet, "arrow": pd.read_feather}


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    df = READERS[args.format](args.input)
    sizes = args.sizes
    train, rest = train_test_split(df, test_size=sizes["validation"] + sizes["test"], random_state=args.seed)
    validation, test = train_test_split(rest, test_size=sizes["test"], random_state=args.seed)
    rows = {}
    for name, part in (("train", train), ("validation", validation), ("test", test)):
        write_arrow_file(pa.Table.from_pandas(part, preserve_index=False), os.path.join(args.out, f"{name}.arrow"))
        rows[name] = len(part)
    report("pandas+sklearn", started, args.out, rows)


if __name__ == "__main__":
    main()
