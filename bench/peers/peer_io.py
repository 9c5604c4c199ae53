"""Shared plumbing for the peer scripts: arguments, Arrow IPC writing, hashing and the JSON result.

The module name uses an underscore (not our kebab-case) because Python can only import it that way.
Every peer prints exactly one JSON line on stdout, including its own peak RSS and CPU time; the
runner measures wall time from outside the process, so both include interpreter start-up and
imports, as the engine's do.
"""

import argparse
import hashlib
import json
import os
import resource
import time

import pyarrow as pa
import pyarrow.ipc as ipc

SPLITS = ("train", "validation", "test")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--format", required=True, choices=("csv", "parquet", "arrow"))
    parser.add_argument("--out", required=True, help="directory for the three split files")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--sizes", required=True, help="train,validation,test row counts")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if len(sizes) != 3 or min(sizes) < 0:
        parser.error(f"--sizes must be three non-negative integers, got {args.sizes!r}")
    args.sizes = dict(zip(SPLITS, sizes))
    os.makedirs(args.out, exist_ok=True)
    return args


def write_arrow_file(table: pa.Table, path: str) -> None:
    with pa.OSFile(path, "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def own_usage() -> dict:
    """Peak RSS and CPU seconds (all threads, start-up included) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # ru_maxrss is in KiB on Linux.
    return {"maxRssBytes": usage.ru_maxrss * 1024, "cpuSeconds": usage.ru_utime + usage.ru_stime}


def report(peer: str, started: float, out_dir: str, rows: dict) -> None:
    """Hashes the three files the peer wrote and prints the result line."""
    splits = {}
    for name in SPLITS:
        path = os.path.join(out_dir, f"{name}.arrow")
        splits[name] = {"rows": rows[name], "bytes": os.path.getsize(path), "sha256": sha256_file(path)}
    print(json.dumps(
            {
                "peer": peer,
                "innerSeconds": time.perf_counter() - started,
                **own_usage(),
                "splits": splits,
            }
        ))
