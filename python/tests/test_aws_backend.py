"""The download path on the AWS backend: split files come from S3 (versitygw) through its own
presigned URLs, lineage from DynamoDB (moto). Runs under bash scripts/with-emulators.sh."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import urllib3
from conftest import ADMIN, Server
from support import assert_ranged_footer, frame

import splitvault


@pytest.fixture(scope="module")
def frozen(aws_server: Server, tmp_path_factory: pytest.TempPathFactory) -> splitvault.Manifest:
    client = splitvault.Client(aws_server.url, token=ADMIN, cache_dir=tmp_path_factory.mktemp("aws-seed"))
    return client.freeze(frame(240, seed=60), strategy="stratified", stratify_by="label", seed=5)


def test_splits_load_from_s3_presigned_urls_into_the_cache_and_match_the_manifest(
    aws_server, frozen, cache_dir: Path
):
    client = splitvault.Client(aws_server.url, token=ADMIN, cache_dir=cache_dir)
    client.set_alias("aws-prod", frozen.id, reason="aws path")
    splits = client.load("aws-prod")
    assert {name: t.num_rows for name, t in splits.items()} == {k: v.rows for k, v in frozen.splits.items()}
    for split in frozen.splits.values():
        assert (cache_dir / "sha256" / f"{split.sha256}.arrow").stat().st_size == split.bytes
    assert splitvault.to_polars(splits["train"]).height == frozen.splits["train"].rows


def test_a_presigned_s3_url_honours_range_so_polars_reads_it(aws_server, frozen, tmp_path):
    client = splitvault.Client(aws_server.url, token=ADMIN, cache_dir=tmp_path)
    url = client.signed_url(frozen.id, "train")
    assert "X-Amz-Signature" in url
    part = urllib3.PoolManager().request("GET", url, headers={"Range": "bytes=0-5"})
    assert part.status == 206
    assert part.headers["accept-ranges"] == "bytes"
    assert part.data == b"ARROW1"
    assert pl.read_ipc(url).height == frozen.splits["train"].rows


def test_fsspec_reads_the_footer_of_a_presigned_s3_url_with_ranged_requests(aws_server, frozen, tmp_path):
    url = splitvault.Client(aws_server.url, token=ADMIN, cache_dir=tmp_path).signed_url(frozen.id, "test")
    assert_ranged_footer(url, frozen.splits["test"].bytes, frozen.splits["test"].rows)
