from __future__ import annotations

import multiprocessing
import socket

import pytest
from conftest import ADMIN, Server
from support import frame

import splitvault
from splitvault._transport import Transport


@pytest.fixture(scope="module")
def frozen(server: Server, tmp_path_factory: pytest.TempPathFactory) -> splitvault.Manifest:
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=tmp_path_factory.mktemp("seed-cache"))
    return client.freeze(frame(400, seed=20), strategy="random", seed=11)


def count_downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = Transport.stream

    def spy(self: Transport, url: str, headers: object = None):  # type: ignore[no-untyped-def]
        seen.append(url)
        return original(self, url)

    monkeypatch.setattr(Transport, "stream", spy)
    return seen


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_second_load_of_the_same_split_makes_no_download(server, cache_dir, frozen, monkeypatch):
    downloads = count_downloads(monkeypatch)
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    first = client.load(frozen.id, "train")
    second = client.load(frozen.id, "train")
    assert len(downloads) == 1
    assert first.equals(second)
    cached = cache_dir / "sha256" / f"{frozen.splits['train'].sha256}.arrow"
    assert cached.stat().st_size == frozen.splits["train"].bytes


def test_a_cached_split_loads_by_manifest_id_with_the_server_unreachable(server, cache_dir, frozen):
    online = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    expected = online.load(frozen.id, "validation")
    offline = splitvault.Client(f"http://127.0.0.1:{unused_port()}", token=ADMIN, cache_dir=cache_dir)
    assert offline.load(frozen.id, "validation").equals(expected)
    with pytest.raises(splitvault.ApiError) as refused:
        offline.load("some-alias", "validation")  # aliases need the server
    assert refused.value.code == "CLIENT.UNREACHABLE"


def test_a_tampered_cached_file_is_detected_and_downloaded_again(server, cache_dir, frozen, monkeypatch):
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    # Copied out of the memory map: the tampering below rewrites the mapped file in place.
    expected = client.load(frozen.id, "test").to_pydict()
    cached = cache_dir / "sha256" / f"{frozen.splits['test'].sha256}.arrow"
    data = bytearray(cached.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cached.write_bytes(bytes(data))
    downloads = count_downloads(monkeypatch)
    assert client.load(frozen.id, "test").to_pydict() == expected
    assert len(downloads) == 1
    assert splitvault.Cache(cache_dir).verified_path(frozen.splits["test"].sha256) == cached


def test_an_interrupted_download_leaves_nothing_in_the_cache(server, cache_dir, frozen, monkeypatch):
    original = Transport.stream

    class Broken:
        def __init__(self, inner):  # type: ignore[no-untyped-def]
            self.inner = inner

        def stream(self, size):  # type: ignore[no-untyped-def]
            chunks = self.inner.stream(64)
            yield next(chunks)
            raise KeyboardInterrupt  # the user's Ctrl-C, mid-download

        def release_conn(self) -> None:
            self.inner.release_conn()

    monkeypatch.setattr(Transport, "stream", lambda self, url, headers=None: Broken(original(self, url)))
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    with pytest.raises(KeyboardInterrupt):
        client.load(frozen.id, "train")
    assert not (cache_dir / "sha256").exists() or list((cache_dir / "sha256").iterdir()) == []
    assert list((cache_dir / "tmp").iterdir()) == []


def test_bytes_that_do_not_hash_to_the_address_are_refused_and_not_cached(
    server, cache_dir, frozen, monkeypatch
):
    original = Transport.stream

    class Wrong:
        def __init__(self, inner):  # type: ignore[no-untyped-def]
            self.inner = inner

        def stream(self, size):  # type: ignore[no-untyped-def]
            for chunk in self.inner.stream(size):
                yield chunk[::-1]

        def release_conn(self) -> None:
            self.inner.release_conn()

    monkeypatch.setattr(Transport, "stream", lambda self, url, headers=None: Wrong(original(self, url)))
    client = splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)
    with pytest.raises(splitvault.IntegrityError):
        client.load(frozen.id, "train")
    assert not (cache_dir / "sha256" / f"{frozen.splits['train'].sha256}.arrow").exists()
    assert list((cache_dir / "tmp").iterdir()) == []


def _load_in_child(
    url: str, cache: str, manifest_id: str, out: multiprocessing.Queue[tuple[int, int]]
) -> None:
    downloads = 0
    original = Transport.stream

    def spy(self: Transport, signed: str, headers: object = None):  # type: ignore[no-untyped-def]
        nonlocal downloads
        downloads += 1
        return original(self, signed)

    Transport.stream = spy  # type: ignore[method-assign]
    table = splitvault.Client(url, token=ADMIN, cache_dir=cache).load(manifest_id, "train")
    out.put((downloads, table.num_rows))


def test_concurrent_loads_of_one_split_in_several_processes_download_it_once(server, cache_dir, frozen):
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[int, int]] = context.Queue()
    workers = [
        context.Process(target=_load_in_child, args=(server.url, str(cache_dir), frozen.id, results))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sum(downloads for downloads, _ in answers) == 1
    assert {rows for _, rows in answers} == {frozen.splits["train"].rows}
    assert [p.name for p in (cache_dir / "sha256").iterdir()] == [f"{frozen.splits['train'].sha256}.arrow"]
