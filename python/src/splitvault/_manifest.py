"""Read-only views of what the service answers, with the raw JSON kept alongside."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class SplitFile:
    """One frozen split: its Arrow IPC file's address, size and row count."""

    sha256: str
    bytes: int
    rows: int


@dataclass(frozen=True)
class Manifest:
    """A frozen split manifest. ``raw`` is the service's JSON, for fields not named here."""

    id: str
    dataset: dict[str, Any]
    spec: dict[str, Any]
    splits: dict[str, SplitFile]
    achieved_ratios: dict[str, float]
    created_at: str
    created_by: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    freeze_events: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any], freeze_events: Any = None) -> Manifest:
        return cls(
            id=raw["id"],
            dataset=raw["dataset"],
            spec=raw["spec"],
            splits={
                name: SplitFile(**{k: raw["splits"][name][k] for k in ("sha256", "bytes", "rows")})
                for name in SPLITS
            },
            achieved_ratios=raw.get("achievedRatios", {}),
            created_at=raw.get("createdAt", ""),
            created_by=raw.get("createdBy", ""),
            raw=raw,
            freeze_events=list(freeze_events or []),
        )

    @property
    def sticky(self) -> dict[str, Any] | None:
        """A sticky re-freeze's drift report: parent, identity column (``by``) and the rows kept,
        added and removed per split; None for an ordinary freeze."""
        report = self.raw.get("sticky")
        return dict(report) if report is not None else None

    @property
    def rows(self) -> int:
        """Rows of the dataset (the three splits together)."""
        return int(self.dataset["rows"])
