from __future__ import annotations

from pathlib import Path

import datasets
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from conftest import ADMIN, Server
from support import frame

import splitvault


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def test_a_frozen_pandas_frame_loads_back_as_three_splits_whose_rows_match_the_manifest(client):
    manifest = client.freeze(frame(300), strategy="random", seed=7)
    splits = client.load(manifest.id)
    assert set(splits) == {"train", "validation", "test"}
    for name, table in splits.items():
        assert isinstance(table, pa.Table)
        assert table.num_rows == manifest.splits[name].rows
    assert sum(t.num_rows for t in splits.values()) == 300
    together = pa.concat_tables(splits.values()).sort_by("id")
    assert together.column("id").to_pylist() == list(range(300))
    assert together.column("label").to_pylist()[:3] == ["cat", "dog", "bird"]


def test_the_same_rows_from_pandas_polars_pyarrow_and_hugging_face_freeze_to_one_manifest(client):
    data = frame(120, seed=1)
    ids = {
        client.freeze(data, strategy="random", seed=3).id,
        client.freeze(pl.from_pandas(data), strategy="random", seed=3).id,
        client.freeze(pa.Table.from_pandas(data, preserve_index=False), strategy="random", seed=3).id,
        client.freeze(datasets.Dataset.from_pandas(data, preserve_index=False), strategy="random", seed=3).id,
    }
    assert len(ids) == 1


def test_a_csv_file_path_freezes_with_its_source_and_version_recorded(client, tmp_path):
    path = tmp_path / "rows.csv"
    frame(90, seed=2).to_csv(path, index=False)
    manifest = client.freeze(str(path), strategy="hash", key="id", seed=1, version="v1", note="from csv")
    assert manifest.dataset["format"] == "csv"
    assert manifest.rows == 90
    events = client.manifest(manifest.id).freeze_events
    assert events[-1]["provenance"]["version"] == "v1"
    assert events[-1]["provenance"]["source"] == str(path)


def test_a_directory_or_glob_of_one_file_freezes_that_file_and_several_freeze_as_one_dataset(
    client, tmp_path
):
    (tmp_path / "one").mkdir()
    frame(40, seed=3).to_csv(tmp_path / "one" / "part-0.csv", index=False)
    by_dir = client.freeze(str(tmp_path / "one"), strategy="random", seed=1)
    by_glob = client.freeze(str(tmp_path / "one" / "*.csv"), strategy="random", seed=1)
    assert by_dir.id == by_glob.id
    frame(40, seed=4).to_csv(tmp_path / "one" / "part-1.csv", index=False)
    both = client.freeze(str(tmp_path / "one"), strategy="random", seed=1)
    assert both.rows == 80
    assert both.id != by_dir.id


def test_a_stratified_freeze_with_parents_records_its_lineage(client):
    parent = client.freeze(frame(150, seed=5), strategy="random", seed=1)
    child = client.freeze(
        frame(150, seed=6),
        strategy="stratified",
        stratify_by="label",
        seed=2,
        ratios=(0.6, 0.2, 0.2),
        parents=[parent.id],
    )
    assert child.spec["stratifyBy"] == "label"
    lineage = client.lineage(child.id)
    assert [node["id"] for node in lineage["ancestors"]] == [parent.id]


def test_a_split_loads_by_a_short_id_and_by_an_alias(client):
    manifest = client.freeze(frame(60, seed=7), strategy="random", seed=4)
    client.set_alias("short-and-alias", manifest.id, reason="test")
    by_prefix = client.load(manifest.id[:10], "test")
    by_alias = client.load("short-and-alias", "test")
    assert by_prefix.equals(by_alias)
    assert by_alias.num_rows == manifest.splits["test"].rows


def test_the_converters_give_pandas_polars_and_hugging_face_objects_with_the_same_rows(client):
    manifest = client.freeze(frame(80, seed=8), strategy="random", seed=5)
    train = client.load(manifest.id, "train")
    assert isinstance(splitvault.to_pandas(train), pd.DataFrame)
    assert splitvault.to_polars(train).height == train.num_rows
    hf = splitvault.to_hf(train)
    assert isinstance(hf, datasets.Dataset)
    assert hf.num_rows == train.num_rows
    assert hf[0]["id"] == train.column("id")[0].as_py()
    every = splitvault.to_hf(client.load(manifest.id))
    assert isinstance(every, datasets.DatasetDict)
    assert {name: every[name].num_rows for name in every} == {k: v.rows for k, v in manifest.splits.items()}
    assert {k: len(v) for k, v in splitvault.to_pandas(client.load(manifest.id)).items()} == {
        k: v.rows for k, v in manifest.splits.items()
    }


def test_the_module_level_load_uses_the_environment(server, cache_dir, monkeypatch):
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    manifest = client.freeze(frame(30, seed=9), strategy="random", seed=6)
    monkeypatch.setenv("SPLITVAULT_URL", server.url)
    monkeypatch.setenv("SPLITVAULT_TOKEN", ADMIN)
    monkeypatch.setenv("SPLITVAULT_CACHE", str(cache_dir))
    monkeypatch.setattr(splitvault, "_default", None)
    assert splitvault.load(manifest.id, "train").num_rows == manifest.splits["train"].rows


def test_pandas_categoricals_timestamps_and_nullable_integers_freeze_as_flat_columns(client):
    data = frame(60, seed=10)
    data["label"] = data["label"].astype("category")
    data["seen"] = pd.to_datetime(pd.Series(range(60)) * 10**9, utc=True)
    data["count"] = pd.array([1, None, 3] * 20, dtype="Int64")
    manifest = client.freeze(data, strategy="random", seed=8)
    together = pa.concat_tables(client.load(manifest.id).values()).sort_by("id")
    assert together.schema.field("label").type == pa.string()
    assert together.column("label").to_pylist()[:3] == ["cat", "dog", "bird"]
    assert together.column("count").null_count == 20
    assert pa.types.is_timestamp(together.schema.field("seen").type)
