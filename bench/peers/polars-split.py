"""Peer: polars reads the file, shuffles with a seed, slices 80/10/10, writes three Arrow IPC files."""

import os
import time

import polars as pl
from peer_io import SPLITS, parse_args, report

READERS = {"csv": pl.read_csv, "parquet": pl.read_parquet, "arrow": pl.read_ipc}


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    df = READERS[args.format](args.input)
    df = df.sample(fraction=1.0, shuffle=True, seed=args.seed)
    rows, offset = {}, 0
    for name in SPLITS:
        part = df.slice(offset, args.sizes[name])
        offset += args.sizes[name]
        part.write_ipc(os.path.join(args.out, f"{name}.arrow"), compression="uncompressed")
        rows[name] = part.height
    report("polars", started, args.out, rows)


if __name__ == "__main__":
    main()
