"""Waiting for a freeze or verify job, as the CLI does."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from ._errors import ApiError
from ._transport import Transport


def wait_for_job(transport: Transport, job_id: str, timeout: float) -> dict[str, Any]:
    """Polls until the job finishes; a failed one raises ApiError with the job's problem, so
    callers handle it exactly like a failed request."""
    started = time.monotonic()
    delay = 0.1
    while True:
        _, job = transport.call("GET", f"/v1/jobs/{quote(job_id, safe='')}")
        if job["state"] == "succeeded":
            return dict(job)
        if job["state"] == "failed":
            problem = job.get("problem") or {"code": "JOB.FAILED", "status": 500, "detail": job_id}
            raise ApiError.from_problem(problem)
        if time.monotonic() - started > timeout:
            raise ApiError("CLIENT.JOB_TIMEOUT", 504, f"job {job_id} still {job['state']} after {timeout} s")
        time.sleep(delay)
        delay = min(delay * 1.5, 2.0)
