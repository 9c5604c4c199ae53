from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, Server

import splitvault
from splitvault._errors import ApiError
from splitvault._multipart import upload_multipart
from splitvault._transport import Transport

PART = 5 * 1024**2


def test_an_interrupted_multipart_upload_resumes_sending_only_the_missing_part(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(3 * PART + 10)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    t = Transport(server.url, token=ADMIN)
    registration = {"sha256": sha256, "bytes": len(data), "name": "big.bin"}
    real = Transport.upload
    sent: list[str] = []

    def lossy(self: Transport, url: str, *args: Any) -> None:
        if "/2?" in url:
            raise ApiError("CLIENT.UNREACHABLE", 0, "connection lost")
        real(self, url, *args)

    def counting(self: Transport, url: str, *args: Any) -> None:
        sent.append(url)
        real(self, url, *args)

    monkeypatch.setattr(Transport, "upload", lossy)
    with pytest.raises(ApiError, match="connection lost"):
        upload_multipart(
            t, str(path), registration, part_bytes=PART, concurrency=1, attempts=2, retry_delay=0
        )
    assert t.call("GET", f"/v1/datasets/{sha256}")[1]["status"] == "pending"
    monkeypatch.setattr(Transport, "upload", counting)
    assert upload_multipart(t, str(path), registration, part_bytes=PART, concurrency=2) is True
    numbers = sorted(int(url.split("?")[0].rsplit("/", 1)[1]) for url in sent)
    # Part 1 arrived before the failure and is skipped; part 2 is sent (parts after it were
    # cancelled or sent in the first run, depending on timing).
    assert numbers[0] == 2
    dataset = t.call("GET", f"/v1/datasets/{sha256}")[1]
    assert (dataset["status"], dataset["bytes"]) == ("available", len(data))


def test_freeze_sends_a_file_over_the_threshold_through_the_multipart_api(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "label"])
        writer.writerows([i, "ab"[i % 2]] for i in range(500))
    monkeypatch.setenv("SPLITVAULT_MULTIPART_THRESHOLD", "1000")
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=tmp_path / "cache")
    manifest = client.freeze(str(path), strategy="random", seed=5)
    assert sum(split.rows for split in manifest.splits.values()) == 500
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    query = {"target": f"dataset:{sha256}"}
    _, audit = Transport(server.url, token=ADMIN).call("GET", "/v1/audit", query=query)
    assert [entry["details"].get("multipart") for entry in audit["items"]] == [True]
