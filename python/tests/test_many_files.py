from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ADMIN, Server

import splitvault


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def _table(lo: int, hi: int) -> pa.Table:
    ids = list(range(lo, hi))
    return pa.table({"id": ids, "label": [["cat", "dog", "eel"][i % 3] for i in ids]})


def test_a_directory_of_parquet_shards_freezes_to_the_split_files_of_one_file_of_the_same_rows(
    client, tmp_path
):
    shards = tmp_path / "shards"
    shards.mkdir()
    # part-10 sorts before part-9 by path bytes, so it holds the first rows.
    cuts = {"part-10.parquet": (0, 50), "part-9.parquet": (50, 51), "part-a.parquet": (51, 200)}
    for name, (lo, hi) in cuts.items():
        pq.write_table(_table(lo, hi), shards / name)
    (shards / ".hidden").write_text("not data")
    pq.write_table(_table(0, 200), tmp_path / "whole.parquet")

    many = client.freeze(str(shards), strategy="stratified", stratify_by="label", seed=4)
    by_glob = client.freeze(
        str(shards / "part-*.parquet"), strategy="stratified", stratify_by="label", seed=4
    )
    one = client.freeze(str(tmp_path / "whole.parquet"), strategy="stratified", stratify_by="label", seed=4)

    assert by_glob.id == many.id
    assert many.id != one.id
    assert {name: many.splits[name].sha256 for name in ("train", "validation", "test")} == {
        name: one.splits[name].sha256 for name in ("train", "validation", "test")
    }
    assert client.load(many.id, "train").num_rows == many.splits["train"].rows
