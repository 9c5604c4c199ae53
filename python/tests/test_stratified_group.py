from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from conftest import ADMIN, Server

import splitvault


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def test_a_stratified_group_freeze_keeps_customers_whole_and_reports_class_shares(client):
    rows = 240
    table = pa.table(
        {
            "id": list(range(rows)),
            "customer": [f"c{(i * 7) % 31}" for i in range(rows)],
            "label": [["yes", "no", "no"][(i * 5) % 3] for i in range(rows)],
        }
    )
    manifest = client.freeze(
        table,
        strategy="stratified-group",
        stratify_by="label",
        group_by="customer",
        seed=9,
        ratios=(0.6, 0.2, 0.2),
    )
    assert manifest.spec["strategy"] == "stratified-group"
    assert manifest.spec["groupBy"] == "customer"
    homes: dict[str, str] = {}
    for name, split in client.load(manifest.id).items():
        for customer in split.column("customer").to_pylist():
            assert homes.setdefault(customer, name) == name
    shares = manifest.raw["classShares"]
    assert [bytes.fromhex(c["key"]) for c in shares] == [b"sno", b"syes"]
    assert sum(c["overall"] for c in shares) == pytest.approx(1)
