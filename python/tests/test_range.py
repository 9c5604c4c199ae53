from __future__ import annotations

import polars as pl
import pytest
import urllib3
from conftest import ADMIN, Server
from support import assert_ranged_footer, frame

import splitvault


@pytest.fixture(scope="module")
def signed(server: Server, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, splitvault.Manifest]:
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=tmp_path_factory.mktemp("cache"))
    manifest = client.freeze(frame(500, seed=50), strategy="random", seed=9)
    return client.signed_url(manifest.id, "train"), manifest


def test_polars_reads_a_signed_url_of_the_embedded_server(signed):
    url, manifest = signed
    table = pl.read_ipc(url)
    assert table.height == manifest.splits["train"].rows
    assert table.columns == ["id", "label", "score", "ok"]


def test_fsspec_reads_the_footer_of_a_signed_url_with_a_ranged_request(signed):
    url, manifest = signed
    assert_ranged_footer(url, manifest.splits["train"].bytes, manifest.splits["train"].rows)


def test_a_signed_url_answers_head_with_size_and_etag_and_a_range_with_206(signed):
    url, manifest = signed
    http = urllib3.PoolManager()
    head = http.request("HEAD", url)
    assert head.status == 200
    assert head.headers["content-length"] == str(manifest.splits["train"].bytes)
    assert head.headers["etag"] == f'"{manifest.splits["train"].sha256}"'
    assert head.headers["accept-ranges"] == "bytes"
    part = http.request("GET", url, headers={"Range": "bytes=0-5"})
    assert part.status == 206
    assert part.data == b"ARROW1"
    past = http.request("GET", url, headers={"Range": f"bytes={manifest.splits['train'].bytes}-"})
    assert past.status == 416


def test_a_head_of_the_artifact_route_follows_its_redirect_to_the_size_and_etag(server, signed):
    _, manifest = signed
    train = manifest.splits["train"]
    head = urllib3.PoolManager().request(
        "HEAD", f"{server.url}/v1/artifacts/{train.sha256}", headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert head.status == 200
    assert head.headers["content-length"] == str(train.bytes)
    assert head.headers["etag"] == f'"{train.sha256}"'
