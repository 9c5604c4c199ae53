from __future__ import annotations

import datetime
import json

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest

from splitvault import _sigv4

MOMENT = datetime.datetime(2026, 11, 30, 12, 34, 56, tzinfo=datetime.timezone.utc)
BODY = json.dumps({"manifestId": "ab" * 32, "reason": "retrained"}).encode()

# Recorded requests the client sends to API Gateway: a JSON PUT, a GET with a query (its
# values escaped as the client escapes them), a path with an escaped segment and dot segments.
RECORDED = [
    ("PUT", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/aliases/prod", BODY),
    ("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/audit?target=alias%3Aprod&limit=10", b""),
    ("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/splits/a%40b/./x/../lineage", b""),
    ("POST", "https://abc123.execute-api.eu-west-1.amazonaws.com:443/v1/splits?wait=1", BODY),
]


@pytest.mark.parametrize("token", [None, "session-token-value"])
@pytest.mark.parametrize(("method", "url", "body"), RECORDED)
def test_the_signature_equals_botocores_on_a_recorded_request(monkeypatch, method, url, body, token):
    headers = {
        "accept": "application/json",
        "content-type": "application/json",
        "user-agent": "splitvault-python/0",
    }
    ours = _sigv4.sign(
        method,
        url,
        headers,
        body,
        _sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", token),
        "eu-west-1",
        now=MOMENT,
    )
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: MOMENT.replace(tzinfo=None))
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    credentials = botocore.credentials.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", token)
    signer = botocore.auth.SigV4Auth(credentials, "execute-api", "eu-west-1")
    signer.add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["X-Amz-Date"] == request.headers["X-Amz-Date"]
    assert ours.get("X-Amz-Security-Token") == request.headers.get("X-Amz-Security-Token")


def test_an_api_gateway_url_switches_sigv4_on_and_takes_its_region(monkeypatch, tmp_path):
    import splitvault

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    client = splitvault.Client("https://abc123.execute-api.ap-south-1.amazonaws.com", cache_dir=tmp_path)
    signer = client._t._signer
    assert signer is not None
    credentials, region = signer
    assert region == "ap-south-1"
    assert credentials().access_key == "AKIDEXAMPLE"
