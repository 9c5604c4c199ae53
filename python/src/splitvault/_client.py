"""The splitvault client: freeze, load, pin and audit splits over the HTTP API."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote, urlsplit

import pyarrow as pa

from . import _multipart, _sigv4
from ._cache import Cache
from ._environment import capture_environment
from ._errors import ApiError
from ._jobs import wait_for_job
from ._manifest import SPLITS, Manifest
from ._progress import Progress, ReadProgress
from ._source import hash_path, media_type, prepared, source_paths
from ._transport import CHUNK_SIZE, Transport
from ._version import __version__

# Files of a many-file dataset uploaded at once, as the CLI does.
UPLOAD_CONCURRENCY = 4

_FULL_ID = re.compile(r"^[0-9a-f]{64}$")
_SHORT_ID = re.compile(r"^[0-9a-f]{8,63}$")
_API_GATEWAY = re.compile(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$")

DEFAULT_URL = "http://localhost:3000"


def _seg(text: str) -> str:
    return quote(text, safe="")


class Client:
    """A client for one splitvault service.

    ``url`` defaults to ``$SPLITVAULT_URL`` (else http://localhost:3000) and ``token`` to
    ``$SPLITVAULT_TOKEN``. ``aws=True``, or an API Gateway URL, signs every call with SigV4
    using botocore's credential chain; ``region`` defaults to the one in the host name.
    Split files are cached under ``cache_dir`` (``$SPLITVAULT_CACHE``, else ~/.cache/splitvault).
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        aws: bool = False,
        region: str | None = None,
        *,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.url = (url or os.environ.get("SPLITVAULT_URL") or DEFAULT_URL).rstrip("/")
        host = urlsplit(self.url).hostname or ""
        gateway = _API_GATEWAY.search(host)
        signer: tuple[_sigv4.CredentialSource, str] | None = None
        if aws or gateway:
            found = region or (gateway.group(1) if gateway else None) or os.environ.get("AWS_REGION")
            if not found:
                raise ValueError(f"no AWS region given and none in the host of {self.url}")
            signer = (_sigv4.botocore_credentials, found)
        self._t = Transport(
            self.url,
            token=None if signer else (token or os.environ.get("SPLITVAULT_TOKEN")),
            signer=signer,
            user_agent=f"splitvault-python/{__version__}",
        )
        self.cache = Cache(Path(cache_dir) if cache_dir is not None else None)

    # ---- freezing -------------------------------------------------------------------------

    def freeze(
        self,
        source: Any,
        *,
        strategy: str,
        seed: int | None = None,
        ratios: Sequence[float] = (0.8, 0.1, 0.1),
        stratify_by: str | None = None,
        group_by: str | None = None,
        key: str | None = None,
        order_by: str | None = None,
        shuffle: bool = False,
        parents: Sequence[str] = (),
        version: str | None = None,
        note: str | None = None,
        name: str | None = None,
        sticky_to: str | None = None,
        sticky_by: str | None = None,
        timeout: float = 600.0,
    ) -> Manifest:
        """Uploads the data if the service lacks it, freezes the split and waits for the manifest.

        ``sticky_to`` (a manifest id, short id, alias or name@label) keeps every row that manifest
        held in its split and splits only the new rows; ``sticky_by`` matches rows by that key
        column instead of the whole row (docs/SPLIT-SPEC.md §8.5)."""
        if sticky_by is not None and sticky_to is None:
            raise ValueError("sticky_by needs sticky_to")
        sticky: dict[str, Any] = {}
        if sticky_to is not None:
            sticky["stickyTo"] = sticky_to
        if sticky_by is not None:
            sticky["stickyBy"] = sticky_by
        train, validation, test = ratios
        spec: dict[str, Any] = {
            "strategy": strategy,
            "ratios": {"train": train, "validation": validation, "test": test},
        }
        for field, value in (
            ("seed", seed),
            ("stratifyBy", stratify_by),
            ("groupBy", group_by),
            ("key", key),
            ("orderBy", order_by),
        ):
            if value is not None:
                spec[field] = value
        if shuffle:
            spec["shuffle"] = True
        provenance: dict[str, Any] = {}
        if parents:
            provenance["parents"] = list(parents)
        if version is not None:
            provenance["version"] = version
        if note is not None:
            provenance["note"] = note
        paths = source_paths(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else []
        if len(paths) > 1:
            provenance.setdefault("source", os.path.abspath(os.fspath(source))[:2048])
            dataset = self._register_files(paths, name)
            return self._freeze_dataset(dataset, spec, provenance, timeout, sticky)
        with prepared(source, name) as file:
            if file.format is not None:
                spec["format"] = file.format
            elif isinstance(source, (str, os.PathLike)):
                provenance.setdefault("source", os.path.abspath(os.fspath(source))[:2048])
            registration: dict[str, Any] = {"sha256": file.sha256, "bytes": file.size, "name": file.name}
            if file.media_type:
                registration["mediaType"] = file.media_type
            sent: bool | None = None
            if file.size > _multipart.threshold():
                sent = _multipart.upload_multipart(self._t, str(file.path), registration)
            created = {} if sent is not None else self._t.call("POST", "/v1/datasets", body=registration)[1]
            upload = created.get("upload")
            if upload:
                bar = Progress(file.size, "uploading")
                try:
                    with open(file.path, "rb") as handle:
                        self._t.upload(
                            upload["url"],
                            upload["method"],
                            upload["headers"],
                            ReadProgress(handle, bar),
                            file.size,
                        )
                finally:
                    bar.close()
        return self._freeze_dataset(file.sha256, spec, provenance, timeout, sticky)

    def _register_files(self, paths: list[Path], name: str | None) -> str:
        """Registers the files as one many-file dataset (docs/SPLIT-SPEC.md §7) and uploads those
        the service lacks, a few at a time under one progress bar; returns the dataset id. Each
        file is stored as soon as its upload ends, so calling freeze again after an interruption
        uploads only the files still missing."""
        hashed = [(path, *hash_path(path)) for path in paths]
        registration: dict[str, Any] = {
            "files": [
                {"sha256": sha256, "bytes": size, "name": str(path)[-256:]} for path, sha256, size in hashed
            ]
        }
        if name:
            registration["name"] = name
        kind = media_type(paths[0])
        if kind:
            registration["mediaType"] = kind
        _, created = self._t.call("POST", "/v1/datasets", body=registration)
        by_hash = {sha256: (path, size) for path, sha256, size in hashed}
        uploads = created.get("uploads") or []
        bar = Progress(sum(by_hash[u["sha256"]][1] for u in uploads), "uploading")

        def send(item: dict[str, Any]) -> None:
            path, size = by_hash[item["sha256"]]
            upload = item["upload"]
            with open(path, "rb") as handle:
                body = ReadProgress(handle, bar)
                self._t.upload(upload["url"], upload["method"], upload["headers"], body, size)

        try:
            with ThreadPoolExecutor(max_workers=UPLOAD_CONCURRENCY) as pool:
                for done in [pool.submit(send, item) for item in uploads]:
                    done.result()
        finally:
            bar.close()
        return str(created["dataset"]["sha256"])

    def _freeze_dataset(
        self,
        dataset: str,
        spec: dict[str, Any],
        provenance: dict[str, Any],
        timeout: float,
        sticky: dict[str, Any],
    ) -> Manifest:
        body: dict[str, Any] = {
            "dataset": dataset,
            "spec": spec,
            "environment": capture_environment(),
            **sticky,
        }
        if provenance:
            body["provenance"] = provenance
        _, answer = self._t.call("POST", "/v1/splits", query={"wait": 1}, body=body)
        if answer.get("manifest"):
            manifest = answer["manifest"]
        else:
            job = wait_for_job(self._t, answer["job"]["id"], timeout)
            manifest = self._t.call("GET", f"/v1/splits/{_seg(job['manifestId'])}")[1]["manifest"]
        self.cache.put_manifest(manifest)
        return Manifest.from_json(manifest)

    # ---- reading --------------------------------------------------------------------------

    def resolve(self, ref: str) -> str:
        """The manifest id a ref names now: an id, a unique 8+ hex prefix, name@label or an alias."""
        if _FULL_ID.match(ref):
            return ref
        if _SHORT_ID.match(ref) or "@" in ref:
            manifest = self._fetch_manifest(ref)
            return str(manifest["manifest"]["id"])
        return str(self.alias(ref)["manifestId"])

    def _fetch_manifest(self, ref: str) -> dict[str, Any]:
        _, view = self._t.call("GET", f"/v1/splits/{_seg(ref)}")
        self.cache.put_manifest(view["manifest"])
        return dict(view)

    def _manifest_json(self, manifest_id: str) -> dict[str, Any]:
        cached = self.cache.manifest(manifest_id)
        return cached if cached is not None else self._fetch_manifest(manifest_id)["manifest"]

    def manifest(self, ref: str) -> Manifest:
        """The manifest and every freeze event of it (who froze it, when, from what environment)."""
        view = self._fetch_manifest(self.resolve(ref))
        return Manifest.from_json(view["manifest"], view.get("freezeEvents"))

    @overload
    def load(self, ref: str) -> dict[str, pa.Table]: ...
    @overload
    def load(self, ref: str, split: str) -> pa.Table: ...
    def load(self, ref: str, split: str | None = None) -> pa.Table | dict[str, pa.Table]:
        """One split as a memory-mapped pyarrow Table, or a dict of all three.

        A split already in the cache loads by manifest id without the server.
        """
        manifest_id = self.resolve(ref)
        manifest = self._manifest_json(manifest_id)
        if split is None:
            return {name: self._load_split(manifest, name) for name in SPLITS}
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
        return self._load_split(manifest, split)

    def _load_split(self, manifest: dict[str, Any], split: str) -> pa.Table:
        artifact = manifest["splits"][split]
        sha256 = artifact["sha256"]
        path = self.cache.fetch(sha256, lambda: self._download(manifest["id"], split, artifact))
        # Memory-mapped: pages come from the cache file on demand, never copied into the heap.
        with pa.memory_map(str(path), "r") as source:
            return pa.ipc.open_file(source).read_all()

    def _download(self, manifest_id: str, split: str, artifact: dict[str, Any]) -> Iterator[bytes]:
        _, view = self._t.call("GET", f"/v1/splits/{_seg(manifest_id)}/{split}")
        if view["sha256"] != artifact["sha256"]:
            raise ApiError("CLIENT.BAD_RESPONSE", 502, f"download of {split} names {view['sha256']}")
        response = self._t.stream(view["url"])
        bar = Progress(int(artifact["bytes"]), f"downloading {split}")
        try:
            for chunk in response.stream(CHUNK_SIZE):
                bar.update(len(chunk))
                yield chunk
        finally:
            bar.close()
            response.release_conn()

    def signed_url(self, ref: str, split: str, expires_in: int | None = None) -> str:
        """A URL any HTTP reader can fetch (it answers Range), e.g. ``polars.read_ipc(url)``."""
        query = {"expiresIn": expires_in} if expires_in is not None else None
        _, view = self._t.call("GET", f"/v1/splits/{_seg(self.resolve(ref))}/{split}", query=query)
        return str(view["url"])

    def lineage(self, ref: str, depth: int | None = None) -> dict[str, Any]:
        """The dataset, ancestors and descendants of a manifest."""
        return dict(
            self._t.call("GET", f"/v1/splits/{_seg(self.resolve(ref))}/lineage", query={"depth": depth})[1]
        )

    def verify(self, ref: str, timeout: float = 600.0) -> dict[str, Any]:
        """Rebuilds the split from the stored dataset and re-hashes every stored file (a job)."""
        _, answer = self._t.call("POST", f"/v1/splits/{_seg(self.resolve(ref))}/verify", query={"wait": 1})
        job = answer["job"]
        if job["state"] not in ("succeeded", "failed"):
            job = wait_for_job(self._t, job["id"], timeout)
        elif job["state"] == "failed":
            raise ApiError.from_problem(job.get("problem") or {"code": "JOB.FAILED", "status": 500})
        return dict(job["result"])

    # ---- aliases and audit ----------------------------------------------------------------

    def alias(self, name: str) -> dict[str, Any]:
        """Where an alias points now (manifestId, revision, ...)."""
        return dict(self._t.call("GET", f"/v1/aliases/{_seg(name)}")[1])

    def set_alias(
        self,
        name: str,
        manifest_id: str,
        reason: str,
        expected_revision: int | None = None,
        *,
        quarantine: bool = False,
        allow_test_leak: bool = False,
    ) -> dict[str, Any]:
        """Creates or moves an alias; a stale ``expected_revision`` raises ALIAS.REVISION_CONFLICT.

        ``quarantine`` (new aliases only) makes later moves refuse a target that trains on the
        current test rows (ALIAS.TEST_LEAK); ``allow_test_leak`` moves anyway, audited with ``reason``.
        """
        body: dict[str, Any] = {"manifestId": self.resolve(manifest_id), "reason": reason}
        if expected_revision is not None:
            body["expectedRevision"] = expected_revision
        if quarantine:
            body["quarantine"] = True
        if allow_test_leak:
            body["allowTestLeak"] = True
        return dict(self._t.call("PUT", f"/v1/aliases/{_seg(name)}", body=body)[1])

    def rollback(
        self,
        name: str,
        reason: str,
        to_revision: int | None = None,
        expected_revision: int | None = None,
        *,
        allow_test_leak: bool = False,
    ) -> dict[str, Any]:
        """Points an alias back (to the previous target, or to ``to_revision``'s)."""
        body: dict[str, Any] = {"reason": reason}
        if to_revision is not None:
            body["toRevision"] = to_revision
        if expected_revision is not None:
            body["expectedRevision"] = expected_revision
        if allow_test_leak:
            body["allowTestLeak"] = True
        return dict(self._t.call("POST", f"/v1/aliases/{_seg(name)}/rollback", body=body)[1])

    def set_quarantine(
        self, name: str, on: bool, reason: str, expected_revision: int | None = None
    ) -> dict[str, Any]:
        """Turns an alias's test quarantine on or off: a new revision, audited with ``reason``.

        >>> client.set_quarantine("prod", False, reason="model retired")["revision"]
        4
        """
        body: dict[str, Any] = {"quarantine": on, "reason": reason}
        if expected_revision is not None:
            body["expectedRevision"] = expected_revision
        return dict(self._t.call("PUT", f"/v1/aliases/{_seg(name)}/policy", body=body)[1])

    def history(self, name: str, at: str | None = None) -> list[dict[str, Any]]:
        """Every move of an alias, newest first; with ``at`` (ISO time) the move in force then."""
        if at is not None:
            answer = self._t.call("GET", f"/v1/aliases/{_seg(name)}/history", query={"at": at})[1]
            return [answer] if "items" not in answer else list(answer["items"])
        return self._t.pages(f"/v1/aliases/{_seg(name)}/history", {})

    def audit(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """Audit entries newest first, filtered by actor, action, target (all pages)."""
        return self._t.pages("/v1/audit", filters)
