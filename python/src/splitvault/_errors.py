"""The one exception type the client raises for a failed request or job."""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    """A problem+json answer from the service (or a transport failure given the same shape).

    ``code`` is the service's stable code (for example ``ALIAS.REVISION_CONFLICT``);
    failures that never reached the service carry ``CLIENT.*`` codes.
    """

    def __init__(
        self,
        code: str,
        status: int,
        detail: str = "",
        title: str = "",
        problem: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code} ({status}): {detail or title}")
        self.code = code
        self.status = status
        self.detail = detail
        self.title = title
        self.problem: dict[str, Any] = problem if problem is not None else {}

    @classmethod
    def from_problem(cls, problem: dict[str, Any]) -> ApiError:
        return cls(
            code=str(problem.get("code", "HTTP.ERROR")),
            status=int(problem.get("status", 500)),
            detail=str(problem.get("detail", "")),
            title=str(problem.get("title", "")),
            problem=problem,
        )

    @classmethod
    def from_body(cls, status: int, body: bytes) -> ApiError:
        """Bodies that are not problem+json (a proxy's page, S3's XML) still get a code."""
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if isinstance(parsed, dict) and "code" in parsed and "status" in parsed:
            return cls.from_problem(parsed)
        text = body[:500].decode("utf-8", errors="replace")
        return cls(code=f"HTTP.{status}", status=status, detail=text)
