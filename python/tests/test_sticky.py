from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from conftest import ADMIN, Server

import splitvault


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def _table(ids: list[int]) -> pa.Table:
    return pa.table({"id": ids, "user": [f"u{i % 23}" for i in ids], "x": [i * 3 % 17 for i in ids]})


def _split_of(client: splitvault.Client, manifest_id: str) -> dict[int, str]:
    splits = client.load(manifest_id).items()
    return {i: name for name, split in splits for i in split.column("id").to_pylist()}


def test_a_sticky_refreeze_keeps_every_surviving_row_in_its_split(client):
    before = list(range(300))
    parent = client.freeze(_table(before), strategy="group", group_by="user", seed=4, ratios=(0.6, 0.2, 0.2))
    after = [i for i in before if i % 20 != 7] + list(range(300, 360))
    child = client.freeze(
        _table(after),
        strategy="group",
        group_by="user",
        seed=4,
        ratios=(0.6, 0.2, 0.2),
        sticky_to=parent.id[:12],
        sticky_by="user",
    )
    assert child.sticky is not None
    assert child.sticky["parent"] == parent.id
    assert child.sticky["by"] == "user"
    was, now = _split_of(client, parent.id), _split_of(client, child.id)
    assert all(now[i] == was[i] for i in after if i in was)
    assert parent.sticky is None


def test_sticky_by_without_sticky_to_is_refused_before_any_upload(client):
    with pytest.raises(ValueError, match="sticky_by needs sticky_to"):
        client.freeze(_table([1, 2, 3]), strategy="random", seed=1, sticky_by="user")
