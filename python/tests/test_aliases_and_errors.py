from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ADMIN, READER, Server
from support import frame

import splitvault


@pytest.fixture(scope="module")
def two(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> tuple[splitvault.Manifest, splitvault.Manifest]:
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=tmp_path_factory.mktemp("cache"))
    return (
        client.freeze(frame(50, seed=30), strategy="random", seed=1),
        client.freeze(frame(50, seed=31), strategy="random", seed=1),
    )


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def test_an_alias_moves_rolls_back_and_keeps_its_history_and_audit_trail(client, two):
    first, second = two
    created = client.set_alias("py-prod", first.id, reason="first cut")
    moved = client.set_alias("py-prod", second.id, reason="retrained", expected_revision=created["revision"])
    assert client.alias("py-prod")["manifestId"] == second.id
    back = client.rollback("py-prod", reason="regression", expected_revision=moved["revision"])
    assert back["manifestId"] == first.id
    moves = client.history("py-prod")
    assert [move["manifestId"] for move in moves] == [first.id, second.id, first.id]
    assert client.history("py-prod", at=moves[-1]["at"])[0]["manifestId"] == first.id
    entries = client.audit(target="alias:py-prod")
    assert len(entries) >= 3
    assert {entry["actor"] for entry in entries} == {"ada"}


def test_a_stale_expected_revision_raises_api_error_with_the_conflict_code(client, two):
    first, second = two
    client.set_alias("py-stale", first.id, reason="one")
    with pytest.raises(splitvault.ApiError) as conflict:
        client.set_alias("py-stale", second.id, reason="two", expected_revision=0)
    assert conflict.value.code == "ALIAS.REVISION_CONFLICT"
    assert conflict.value.status == 409
    assert conflict.value.detail


def test_an_unknown_alias_raises_not_found(client):
    with pytest.raises(splitvault.ApiError) as missing:
        client.load("py-no-such-alias", "train")
    assert (missing.value.code, missing.value.status) == ("ALIAS.NOT_FOUND", 404)


def test_a_missing_or_wrong_token_raises_unauthenticated(server, cache_dir, two):
    for token in (None, "not-a-token-0123456789abcdef"):
        anonymous = splitvault.Client(server.url, token=token, cache_dir=cache_dir)
        with pytest.raises(splitvault.ApiError) as refused:
            anonymous.manifest(two[0].id)
        assert refused.value.status == 401
        assert refused.value.code == "AUTH.REQUIRED"


def test_a_reader_may_load_but_not_freeze_or_move_an_alias(server, cache_dir, two):
    reader = splitvault.Client(server.url, token=READER, cache_dir=cache_dir)
    assert reader.load(two[0].id, "train").num_rows == two[0].splits["train"].rows
    for attempt in (
        lambda: reader.freeze(frame(20, seed=32), strategy="random", seed=1),
        lambda: reader.set_alias("py-reader", two[0].id, reason="nope"),
    ):
        with pytest.raises(splitvault.ApiError) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (403, "AUTH.MISSING_ROLE")


def test_a_spec_the_service_refuses_raises_its_validation_code(client):
    with pytest.raises(splitvault.ApiError) as refused:
        client.freeze(frame(20, seed=33), strategy="random", seed=1, order_by="id")
    assert refused.value.status == 400
    assert refused.value.problem["errors"]


def test_verify_reports_a_reproducible_intact_split(client, two):
    result = client.verify(two[0].id)
    assert result["ok"] is True
    assert result["reproducible"] is True
