"""A tqdm bar on a terminal when tqdm is installed; nothing otherwise."""

from __future__ import annotations

import sys
from typing import IO, Any


class Progress:
    def __init__(self, total: int, label: str) -> None:
        self._bar: Any | None = None
        if sys.stderr.isatty():
            try:
                from tqdm.auto import tqdm
            except ImportError:
                return
            self._bar = tqdm(total=total, desc=label, unit="B", unit_scale=True, leave=False)

    def update(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class ReadProgress:
    """A file wrapper that reports what has been read (urllib3 reads the upload body)."""

    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._progress.update(len(chunk))
        return chunk
