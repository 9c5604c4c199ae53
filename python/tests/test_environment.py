from __future__ import annotations

import hashlib
import os
import platform
import subprocess

from conftest import ADMIN, ROOT, TSX
from support import frame

import splitvault


def git(cwd, *args):  # type: ignore[no-untyped-def]
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_the_environment_names_python_the_lock_files_the_packages_and_the_git_state(tmp_path):
    (tmp_path / "requirements.txt").write_text("pyarrow==26.0.1\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest\n")
    (tmp_path / "uv.lock").write_text("lock")
    (tmp_path / "notes.txt").write_text("not a lock file")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    environment = splitvault.capture_environment(tmp_path)
    assert environment["python"] == platform.python_version()
    assert environment["implementation"] == platform.python_implementation()
    assert environment["platform"] == platform.platform()
    assert environment["lockfiles"] == {
        "requirements-dev.txt": hashlib.sha256(b"pytest\n").hexdigest(),
        "requirements.txt": hashlib.sha256(b"pyarrow==26.0.1\n").hexdigest(),
        "uv.lock": hashlib.sha256(b"lock").hexdigest(),
    }
    packages = environment["packages"]
    assert packages == sorted(packages)
    assert any(p.startswith("pyarrow==") for p in packages)
    assert environment["git"] == {"commit": git(tmp_path, "rev-parse", "HEAD"), "dirty": False}
    (tmp_path / "uv.lock").write_text("changed")
    assert splitvault.capture_environment(tmp_path)["git"]["dirty"] is True


def test_outside_a_repository_there_is_no_git_entry(tmp_path):
    assert "git" not in splitvault.capture_environment(tmp_path)


def test_a_freeze_sends_the_environment_and_the_manifest_shows_it(server, cache_dir, tmp_path, monkeypatch):
    (tmp_path / "poetry.lock").write_text("poetry")
    monkeypatch.chdir(tmp_path)
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    manifest = client.freeze(frame(40, seed=40), strategy="random", seed=2)
    sent = client.manifest(manifest.id).freeze_events[-1]["environment"]
    assert sent["client"] == "splitvault-python"
    assert sent["python"] == platform.python_version()
    assert sent["lockfiles"] == {"poetry.lock": hashlib.sha256(b"poetry").hexdigest()}
    assert any(p.startswith("urllib3==") for p in sent["packages"])


def test_the_cli_show_command_prints_the_python_environment_of_a_python_freeze(
    server, cache_dir, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    manifest = client.freeze(frame(40, seed=41), strategy="random", seed=2)
    shown = subprocess.run(
        [str(TSX), "bin/splitvault.ts", "show", manifest.id],
        cwd=ROOT,
        env={**os.environ, "SPLITVAULT_URL": server.url, "SPLITVAULT_TOKEN": ADMIN},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert f"python {platform.python_version()}" in shown
