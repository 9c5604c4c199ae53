"""JSON calls to the API with the chosen auth, and streamed transfers to and from signed URLs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Union
from urllib.parse import quote, urljoin

import urllib3

from . import _sigv4
from ._errors import ApiError

Query = Mapping[str, Union[str, int, None]]

# Download chunks: large enough that hashing, not Python overhead, is the cost.
CHUNK_SIZE = 1 << 20


def _encode_query(query: Query | None) -> str:
    # Escaped exactly as SigV4 canonicalises it, so a signed query is the query sent.
    pairs = [(key, str(value)) for key, value in (query or {}).items() if value is not None]
    return "&".join(f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}" for key, value in pairs)


class Transport:
    """Bearer token (the embedded server) or SigV4 (API Gateway) on every API call."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        signer: tuple[_sigv4.CredentialSource, str] | None = None,
        user_agent: str = "splitvault-python",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._signer = signer
        self._user_agent = user_agent
        # Connection failures are retried briefly; answers (even 5xx) are the caller's to judge.
        retries = urllib3.Retry(total=2, connect=2, read=0, status=0, redirect=0, backoff_factor=0.1)
        self._http = urllib3.PoolManager(retries=retries, timeout=urllib3.Timeout(connect=10, read=300))

    def url(self, path_or_url: str, query: Query | None = None) -> str:
        url = self.base_url + path_or_url if path_or_url.startswith("/") else path_or_url
        encoded = _encode_query(query)
        return f"{url}{'&' if '?' in url else '?'}{encoded}" if encoded else url

    def call(
        self, method: str, path: str, *, query: Query | None = None, body: Any = None
    ) -> tuple[int, Any]:
        """One JSON request; non-2xx raises ApiError with the problem's code."""
        url = self.url(path, query)
        payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        headers = {"accept": "application/json", "user-agent": self._user_agent}
        if body is not None:
            headers["content-type"] = "application/json"
        headers = self._authorize(method, url, headers, payload)
        response = self._send(method, url, headers=headers, body=payload or None)
        if response.status >= 300:
            raise ApiError.from_body(response.status, response.data)
        text = response.data
        return response.status, (json.loads(text) if text else None)

    def pages(self, path: str, query: Query) -> list[dict[str, Any]]:
        """Every item of a paged route, following cursors."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            _, page = self.call("GET", path, query={**query, "cursor": cursor})
            items.extend(page["items"])
            cursor = page.get("cursor")
            if not cursor:
                return items

    def _authorize(self, method: str, url: str, headers: dict[str, str], body: bytes) -> dict[str, str]:
        if self._signer is not None:
            credentials, region = self._signer
            return _sigv4.sign(method, url, headers, body, credentials(), region)
        if self._token:
            return {**headers, "authorization": f"Bearer {self._token}"}
        return headers

    def _send(self, method: str, url: str, **kwargs: Any) -> urllib3.BaseHTTPResponse:
        try:
            return self._http.request(method, url, redirect=False, **kwargs)
        except urllib3.exceptions.HTTPError as error:
            raise ApiError("CLIENT.UNREACHABLE", 0, f"{method} {url.split('?')[0]}: {error}") from error

    def upload(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str],
        body: Any,
        size: int,
    ) -> None:
        """Sends bytes to a signed URL with exactly the headers it was signed with."""
        sent = {key: value for key, value in headers.items() if key.lower() != "content-length"}
        sent["content-length"] = str(size)
        response = self._send(
            method, urljoin(self.base_url + "/", url), headers=sent, body=body, chunked=False
        )
        # 412: a presigned S3 PUT carries If-None-Match: *, so the object is already stored.
        if response.status == 412 and method == "PUT":
            return
        if response.status >= 300:
            raise ApiError.from_body(response.status, response.data)

    def stream(self, url: str, headers: Mapping[str, str] | None = None) -> urllib3.BaseHTTPResponse:
        """A streamed GET of a signed URL (no API credentials: the signature is the grant)."""
        full = urljoin(self.base_url + "/", url)
        try:
            response = self._http.request("GET", full, headers=dict(headers or {}), preload_content=False)
        except urllib3.exceptions.HTTPError as error:
            raise ApiError("CLIENT.UNREACHABLE", 0, f"GET {full.split('?')[0]}: {error}") from error
        if response.status >= 300:
            data = response.read()
            response.release_conn()
            raise ApiError.from_body(response.status, data)
        return response
