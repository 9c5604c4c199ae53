"""AWS Signature Version 4 for API Gateway IAM auth (service ``execute-api``).

Written against the spec rather than calling botocore's signer so that a bearer-token user
never needs botocore; tests check it byte for byte against botocore's own ``SigV4Auth``.
Credentials come from botocore's chain (environment, profiles, SSO, instance roles).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlsplit

# botocore leaves these unsigned: proxies and SDKs rewrite them.
_UNSIGNED_HEADERS = {"expect", "user-agent", "x-amzn-trace-id"}


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None = None


CredentialSource = Callable[[], Credentials]


def botocore_credentials() -> Credentials:
    """The standard AWS credential chain, resolved on each call (keys may rotate)."""
    try:
        import botocore.session
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise ImportError("aws=True needs botocore: pip install 'splitvault[aws]'") from error
    found = botocore.session.Session().get_credentials()
    if found is None:
        raise RuntimeError("no AWS credentials found by botocore's credential chain")
    frozen = found.get_frozen_credentials()
    return Credentials(frozen.access_key, frozen.secret_key, frozen.token)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _canonical_path(path: str) -> str:
    """As botocore: dot segments removed, then the path escaped once more (not S3's rules)."""
    if not path:
        return "/"
    kept: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if kept:
                kept.pop()
        elif segment and segment != ".":
            kept.append(segment)
    first = "/" if path.startswith("/") else ""
    last = "/" if path.endswith("/") and kept else ""
    return quote(first + "/".join(kept) + last, safe="/~")


def _canonical_query(query: str) -> str:
    """The query as sent (already escaped by the caller), pairs sorted."""
    if not query:
        return ""
    pairs = [pair.partition("=") for pair in query.split("&")]
    return "&".join(f"{key}={value}" for key, _, value in sorted(pairs))


def _host(scheme: str, netloc: str) -> str:
    default = {"http": ":80", "https": ":443"}.get(scheme)
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def sign(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    credentials: Credentials,
    region: str,
    service: str = "execute-api",
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """Returns ``headers`` plus host, X-Amz-Date, the session token and Authorization."""
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    parts = urlsplit(url)
    out = {key: value for key, value in headers.items() if key.lower() != "authorization"}
    out["host"] = _host(parts.scheme, parts.netloc)
    out["X-Amz-Date"] = stamp
    if credentials.token:
        out["X-Amz-Security-Token"] = credentials.token
    signed = {
        key.lower(): " ".join(value.split())
        for key, value in out.items()
        if key.lower() not in _UNSIGNED_HEADERS
    }
    names = sorted(signed)
    canonical = "\n".join(
        [
            method.upper(),
            _canonical_path(parts.path),
            _canonical_query(parts.query),
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()]
    )
    key = _hmac(("AWS4" + credentials.secret_key).encode("utf-8"), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return out
