"""Multipart upload for large files (docs/MULTIPART-UPLOAD.md): the service plans the parts,
each part is hashed from disk and sent to a URL that signs its SHA-256, a few at a time, a
failed part is retried, parts the service already holds are skipped (resume), and complete
publishes the file only if its whole SHA-256 matches. Parts are streamed, never held."""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO
from urllib.parse import quote

from ._errors import ApiError
from ._progress import Progress
from ._transport import CHUNK_SIZE, Transport

#: Files larger than this go through the multipart API (``$SPLITVAULT_MULTIPART_THRESHOLD``).
MULTIPART_THRESHOLD = 256 * 1024**2
#: One presigned PUT's limit; above it a service without the multipart API can't take the file.
MAX_SINGLE_PUT = 5 * 1024**3


def threshold() -> int:
    raw = os.environ.get("SPLITVAULT_MULTIPART_THRESHOLD")
    return int(raw) if raw else MULTIPART_THRESHOLD


class _Slice:
    """Bytes start..start+size of a file, read in order (urllib3 reads the body)."""

    def __init__(self, handle: BinaryIO, start: int, size: int, progress: Progress) -> None:
        handle.seek(start)
        self._handle = handle
        self._left = size
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        want = self._left if size < 0 else min(size, self._left)
        chunk = self._handle.read(want) if want > 0 else b""
        self._left -= len(chunk)
        self._progress.update(len(chunk))
        return chunk


def _part_size(plan: dict[str, Any], number: int) -> int:
    count, part = int(plan["partCount"]), int(plan["partBytes"])
    return part if number < count else int(plan["bytes"]) - part * (count - 1)


def _hash_range(path: str, start: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        handle.seek(start)
        left = size
        while left > 0:
            chunk = handle.read(min(CHUNK_SIZE, left))
            if not chunk:
                raise OSError(f"{path} ended {left} bytes early")
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def _final(error: ApiError) -> bool:
    # A 4xx other than a timeout is the request's fault: sending it again can't help.
    return 400 <= error.status < 500 and error.status not in (408, 429)


def upload_multipart(
    t: Transport,
    path: str,
    registration: dict[str, Any],
    *,
    concurrency: int = 4,
    attempts: int = 4,
    retry_delay: float = 0.5,
    part_bytes: int | None = None,
) -> bool | None:
    """Registers and uploads ``path``; True when bytes were sent, False when the service
    already had them, None when the service has no multipart API (the caller falls back)."""
    body = {**registration, **({"partBytes": part_bytes} if part_bytes else {})}
    try:
        _, created = t.call("POST", "/v1/uploads", body=body)
    except ApiError as error:
        if error.status == 404 and int(registration["bytes"]) <= MAX_SINGLE_PUT:
            return None
        raise
    plan = created.get("upload")
    if not plan:
        return False
    upload_id = quote(str(plan["id"]), safe="")
    staged = {p["number"]: p["sha256"] for p in t.call("GET", f"/v1/uploads/{upload_id}")[1]["parts"]}
    bar = Progress(int(plan["bytes"]), "uploading")

    def send(number: int) -> None:
        start, size = (number - 1) * int(plan["partBytes"]), _part_size(plan, number)
        sha256 = _hash_range(path, start, size)
        if staged.get(number) == sha256:
            bar.update(size)
            return
        for attempt in range(1, attempts + 1):
            try:
                asked = {"parts": [{"number": number, "sha256": sha256}]}
                _, urls = t.call("POST", f"/v1/uploads/{upload_id}/parts", body=asked)
                url = urls["parts"][0]
                with open(path, "rb") as handle:
                    body = _Slice(handle, start, size, bar)
                    t.upload(url["url"], url["method"], url["headers"], body, size)
                return
            except ApiError as error:
                if _final(error) or attempt == attempts:
                    raise
                time.sleep(retry_delay * 2 ** (attempt - 1))

    try:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            # list() re-raises the first failed part's error.
            list(pool.map(send, range(1, int(plan["partCount"]) + 1)))
    finally:
        bar.close()
    t.call("POST", f"/v1/uploads/{upload_id}/complete")
    return True
