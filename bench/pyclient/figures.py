"""Figures for RELIABILITY.md's Python client section: first and cached load of a large split,
the loading process's peak RSS against the file's size, and a ranged read of a signed URL
against a whole one. Needs a running server (SPLITVAULT_URL, SPLITVAULT_TOKEN):

    .tools/pyclient-venv/bin/python bench/pyclient/figures.py [rows]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute
import urllib3

import splitvault


def main(rows: int) -> None:
    rng = np.random.default_rng(1)
    table = pa.table(
        {
            "id": np.arange(rows, dtype=np.int64),
            "a": rng.random(rows),
            "b": rng.random(rows),
            "label": pa.array(rng.integers(0, 10, rows)).cast(pa.string()),
        }
    )
    client = splitvault.Client(cache_dir=tempfile.mkdtemp(prefix="sv-figures-"))
    started = time.perf_counter()
    manifest = client.freeze(table, strategy="random", seed=1)
    print(f"freeze of {rows} rows: {time.perf_counter() - started:.1f} s")
    del table
    train = manifest.splits["train"]
    print(f"train split: {train.bytes / 2**20:.1f} MiB, {train.rows} rows")
    # A fresh process, so its peak RSS is the load's alone (this one built the table).
    subprocess.run([sys.executable, __file__, "--load", str(client.cache.root), manifest.id], check=True)
    url = client.signed_url(manifest.id, "train")
    http = urllib3.PoolManager()
    for label, headers in (("whole GET", {}), ("1 MiB range", {"Range": "bytes=1048576-2097151"})):
        started = time.perf_counter()
        answer = http.request("GET", url, headers=headers)
        print(f"{label}: HTTP {answer.status}, {len(answer.data)} bytes, {time.perf_counter() - started:.3f} s")


def status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def high_water_kib() -> int:
    """Peak RSS of this process image (VmHWM; ru_maxrss would carry the parent's over exec)."""
    return status_kib("VmHWM")


def load(cache: str, manifest_id: str) -> None:
    client = splitvault.Client(cache_dir=cache)
    baseline = high_water_kib()
    started = time.perf_counter()
    loaded = client.load(manifest_id, "train")
    first = time.perf_counter() - started
    started = time.perf_counter()
    client.load(manifest_id, "train")
    second = time.perf_counter() - started
    total = float(pa.compute.sum(loaded.column("a")).as_py())  # reads every page of one column
    peak = high_water_kib()
    print(f"first load (download + hash): {first:.2f} s; cached load (re-hash, map): {second:.2f} s")
    print(f"loading process peak RSS: {baseline / 1024:.0f} MiB after imports, {peak / 1024:.0f} MiB after (sum {total:.0f})")
    anon, mapped = status_kib("RssAnon"), status_kib("RssFile")
    print(f"resident now: {anon / 1024:.0f} MiB anonymous, {mapped / 1024:.0f} MiB file-backed (the mapped cache file)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--load"]:
        load(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 4_000_000)
