"""splitvault for Python: freeze, load and pin frozen ML dataset splits.

import splitvault
client = splitvault.Client()
manifest = client.freeze(df, strategy="random", seed=42)
client.set_alias("mnist-prod", manifest.id, reason="first cut")
train = splitvault.to_polars(client.load("mnist-prod", "train"))
"""

from __future__ import annotations

from typing import overload

import pyarrow as pa

from ._cache import Cache, IntegrityError
from ._client import Client
from ._convert import to_hf, to_pandas, to_polars, to_torch
from ._environment import capture_environment
from ._errors import ApiError
from ._manifest import Manifest, SplitFile
from ._version import __version__

__all__ = [
    "ApiError",
    "Cache",
    "Client",
    "IntegrityError",
    "Manifest",
    "SplitFile",
    "__version__",
    "capture_environment",
    "load",
    "to_hf",
    "to_pandas",
    "to_polars",
    "to_torch",
]

_default: Client | None = None


def _client() -> Client:
    global _default
    if _default is None:
        _default = Client()
    return _default


@overload
def load(ref: str) -> dict[str, pa.Table]: ...
@overload
def load(ref: str, split: str) -> pa.Table: ...
def load(ref: str, split: str | None = None) -> pa.Table | dict[str, pa.Table]:
    """``Client().load`` with a client built from the environment (SPLITVAULT_URL, ...)."""
    return _client().load(ref) if split is None else _client().load(ref, split)
