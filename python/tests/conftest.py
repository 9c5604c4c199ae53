"""Real servers for the client's tests: ``npm start``'s entry point on 127.0.0.1 with a free
port and a temporary data directory (embedded backend), and the same server on the AWS
backend against versitygw + moto when the emulators' endpoints are in the environment
(``bash scripts/with-emulators.sh`` sets them; .ci/run runs pytest under it)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TSX = ROOT / "node_modules" / ".bin" / "tsx"
ADMIN = "pytest-admin-token-0123456789abcdef"
READER = "pytest-reader-token-0123456789abcd"
TOKENS = {
    ADMIN: {"actor": "ada", "roles": ["reader", "writer", "deployer"]},
    READER: {"actor": "rex", "roles": ["reader"]},
}


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]


def _start(args: list[str], env: dict[str, str]) -> Server:
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # tsx runs node: stop the whole group
    )
    found: list[str] = []
    seen: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            match = re.search(r'"url":"(http://127\.0\.0\.1:\d+)"', line)
            if match and not found:
                found.append(match.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(600):
        if found or process.poll() is not None:
            break
        threading.Event().wait(0.1)
    if not found:
        _stop(process)
        raise RuntimeError("server did not start: " + "".join(seen[-20:]))
    return Server(found[0], process)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tokens_file(folder: Path) -> Path:
    path = folder / "tokens.json"
    path.write_text(json.dumps(TOKENS))
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The embedded backend, as ``npm start`` runs it, with bearer tokens."""
    folder = tmp_path_factory.mktemp("server")
    running = _start(
        [str(TSX), "functions/handlers/node.ts"],
        {
            "PORT": "0",
            "HOST": "",
            "SPLITVAULT_DATA_DIR": str(folder / "data"),
            "SPLITVAULT_TOKENS_FILE": str(_tokens_file(folder)),
        },
    )
    yield running
    _stop(running.process)


@pytest.fixture(scope="session")
def aws_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The AWS backend (S3 on versitygw, DynamoDB on moto); fails loudly without emulators."""
    if not os.environ.get("AWS_ENDPOINT_URL_S3"):
        raise RuntimeError("run under bash scripts/with-emulators.sh: no AWS_ENDPOINT_URL_S3")
    folder = tmp_path_factory.mktemp("aws-server")
    running = _start(
        [str(TSX), "test/api/support/aws-server-main.ts"],
        {"SPLITVAULT_TOKENS_FILE": str(_tokens_file(folder))},
    )
    yield running
    _stop(running.process)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"
