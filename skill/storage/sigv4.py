"""AWS Signature Version 4 for one JSON POST, as DynamoDB's API takes it (stdlib only).

botocore's signer would do the same, but importing it loads botocore.compat, urllib3 and the
credential machinery: about 70 ms of CPU at every cold start on python3.12 (make bench, "as
deployed"), for one read and one write. tests/test_sigv4.py checks every signature against
botocore's SigV4Auth for the same request, credentials and time, so the two cannot drift apart.

The algorithm: AWS General Reference, "Create a signed AWS API request" (canonical request,
string to sign, signing key derived from the date, region and service, then the signature).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

ALGORITHM = "AWS4-HMAC-SHA256"


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None = None  # a session token: Lambda's role credentials always have one


def signed_headers(credentials: Credentials, region: str, service: str, host: str,
                   body: bytes, headers: Mapping[str, str], now: float | None = None
                   ) -> dict[str, str]:
    """`headers` with Host, X-Amz-Date, X-Amz-Security-Token (with a token) and Authorization
    added, for a POST of `body` to "/" on `host` ("dynamodb.us-east-1.amazonaws.com", or
    "127.0.0.1:8000" with a port)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    out = {**headers, "Host": host, "X-Amz-Date": stamp}
    if credentials.token:
        out["X-Amz-Security-Token"] = credentials.token
    canonical = {name.lower(): " ".join(str(value).split()) for name, value in out.items()}
    names = sorted(canonical)
    signed = ";".join(names)
    request = "\n".join(["POST", "/", "", *(f"{n}:{canonical[n]}" for n in names), "", signed,
                         hashlib.sha256(body).hexdigest()])
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope,
                         hashlib.sha256(request.encode()).hexdigest()])
    key = f"AWS4{credentials.secret_key}".encode()
    for part in (stamp[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out["Authorization"] = (f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
                            f"SignedHeaders={signed}, Signature={signature}")
    return out
