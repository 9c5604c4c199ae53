"""What a Python freeze records about the environment that produced it (shown by ``show``)."""

from __future__ import annotations

import hashlib
import json
import platform
import re
import subprocess
from pathlib import Path
from typing import Any

from ._version import __version__

_LOCKFILES = {"uv.lock", "poetry.lock", "Pipfile.lock", "environment.yml"}
_REQUIREMENTS = re.compile(r"^requirements.*\.txt$")
# The service keeps at most 64 KiB of environment per freeze; the package list is what grows.
_PACKAGES_BUDGET = 48 * 1024


def _is_lockfile(name: str) -> bool:
    return name in _LOCKFILES or bool(_REQUIREMENTS.match(name))


def _lockfiles(cwd: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sorted(cwd.iterdir(), key=lambda p: p.name):
        if entry.is_file() and _is_lockfile(entry.name):
            found[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return found


def _packages() -> list[str]:
    from importlib import metadata

    names = set()
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            names.add(f"{name.lower().replace('_', '-')}=={dist.version}")
    return sorted(names)


def _git(cwd: Path) -> dict[str, Any] | None:
    """The user's checkout (the working directory), not the one splitvault was installed from."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None  # no git, not a repository, or a repository with no commit yet
    return {"commit": head, "dirty": status != ""}


def capture_environment(cwd: Path | None = None) -> dict[str, Any]:
    """Python, platform, lock-file hashes, installed packages and the git state of ``cwd``."""
    where = Path(cwd) if cwd is not None else Path.cwd()
    packages = _packages()
    listing: Any = packages
    if len(json.dumps(packages)) > _PACKAGES_BUDGET:
        # Too many to keep: their hash still tells two environments apart.
        digest = hashlib.sha256("\n".join(packages).encode("utf-8")).hexdigest()
        listing = {"count": len(packages), "sha256": digest}
    environment: dict[str, Any] = {
        "client": "splitvault-python",
        "clientVersion": __version__,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "lockfiles": _lockfiles(where),
        "packages": listing,
    }
    git = _git(where)
    if git is not None:
        environment["git"] = git
    return environment
