"""A local, content-addressed cache of split files: ``sha256/<hex>.arrow`` under one root.

A download streams into ``tmp/`` while it is hashed and is renamed into place only when it
hashes to its address, so a file under ``sha256/`` is always complete. A per-address lock
file makes concurrent loads in several processes download once; where locks are not
available they still agree, since every rename publishes the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Callable

try:  # POSIX; Windows falls back to rename-only agreement.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# A temp file this old belongs to a process that died mid-download; never to a live one.
_STALE_TEMP_SECONDS = 24 * 3600


def default_cache_dir() -> Path:
    configured = os.environ.get("SPLITVAULT_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "splitvault"


class IntegrityError(Exception):
    """Downloaded bytes did not hash to the address the manifest gave."""


class Cache:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def path(self, sha256: str) -> Path:
        return self.root / "sha256" / f"{sha256}.arrow"

    def verified_path(self, sha256: str) -> Path | None:
        """The cached file when present and still hashing to its address; a tampered one is removed."""
        path = self.path(sha256)
        if not path.is_file():
            return None
        if hash_file(path) == sha256:
            return path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return None

    def fetch(self, sha256: str, download: Callable[[], Iterable[bytes]]) -> Path:
        """The cached file, downloading it (once across processes) when absent or damaged."""
        found = self.verified_path(sha256)
        if found is not None:
            return found
        with self._lock(sha256):
            # Another process may have finished the download while this one waited.
            found = self.verified_path(sha256)
            if found is not None:
                return found
            return self._download(sha256, download)

    def _download(self, sha256: str, download: Callable[[], Iterable[bytes]]) -> Path:
        temp_dir = self.root / "tmp"
        temp_dir.mkdir(parents=True, exist_ok=True)
        self._sweep(temp_dir)
        fd, temp = tempfile.mkstemp(dir=temp_dir, prefix=f"{sha256[:16]}.", suffix=".part")
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                for chunk in download():
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            actual = digest.hexdigest()
            if actual != sha256:
                raise IntegrityError(f"downloaded bytes hash to {actual}, not {sha256}")
            target = self.path(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
            return target
        finally:
            # Whatever stopped the download (an error, Ctrl-C), no partial file stays behind.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)

    @contextlib.contextmanager
    def _lock(self, sha256: str) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover
            yield
            return
        lock_dir = self.root / "locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        with open(lock_dir / f"{sha256}.lock", "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    @staticmethod
    def _sweep(temp_dir: Path) -> None:
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for entry in temp_dir.iterdir():
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()

    # Manifests are cached by id so that a split pinned by id loads with the server unreachable.
    def manifest(self, manifest_id: str) -> dict[str, Any] | None:
        path = self.root / "manifests" / f"{manifest_id}.json"
        try:
            value = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) and value.get("id") == manifest_id else None

    def put_manifest(self, manifest: dict[str, Any]) -> None:
        folder = self.root / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(manifest, out, sort_keys=True)
            os.replace(temp, folder / f"{manifest['id']}.json")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


def hash_file(path: Path) -> str:
    """SHA-256 of a file read through a memory map (no copy into Python memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return digest.hexdigest()
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = memoryview(mapped)
            try:
                for offset in range(0, len(view), 1 << 24):
                    digest.update(view[offset : offset + (1 << 24)])
            finally:
                view.release()
    return digest.hexdigest()
