"""skill/storage/sigv4.py signs exactly as botocore's SigV4Auth does: the same Authorization
header, byte for byte, for the same request, credentials and time, across random requests
(hypothesis), with and without a session token, on AWS and on a local endpoint with a port."""
from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.storage import sigv4

botocore_auth = pytest.importorskip("botocore.auth")
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

KEYS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=16, max_size=20)
SECRETS = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+", min_size=40,
                  max_size=40)
TOKENS = st.none() | st.text("abcdefghijklmnopqrstuvwxyz0123456789/+=", min_size=20, max_size=80)
REGIONS = st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"])
ENDPOINTS = st.sampled_from(["https://dynamodb.{region}.amazonaws.com", "http://127.0.0.1:8000",
                             "http://localhost:45123"])
BODIES = st.dictionaries(st.text(min_size=1, max_size=10),
                         st.integers() | st.text(max_size=30), max_size=4)
WHEN = st.datetimes(min_value=datetime.datetime(2020, 1, 1),
                    max_value=datetime.datetime(2040, 12, 31))


def botocore_headers(key, secret, token, region, url, body, headers, when):
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    auth = botocore_auth.SigV4Auth(Credentials(key, secret, token), "dynamodb", region)
    original = botocore_auth.get_current_datetime
    botocore_auth.get_current_datetime = lambda: when
    try:
        auth.add_auth(request)
    finally:
        botocore_auth.get_current_datetime = original
    return dict(request.headers.items())


@settings(max_examples=300, deadline=None)
@given(KEYS, SECRETS, TOKENS, REGIONS, ENDPOINTS, BODIES, WHEN,
       st.sampled_from(["GetItem", "PutItem", "DeleteItem"]))
def test_the_signature_is_botocores(key, secret, token, region, endpoint, body, when, operation):
    url = endpoint.format(region=region)
    payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": f"DynamoDB_20120810.{operation}"}
    ours = sigv4.signed_headers(sigv4.Credentials(key, secret, token), region, "dynamodb",
                                url.split("://", 1)[1], payload, headers,
                                now=when.replace(tzinfo=datetime.timezone.utc).timestamp())
    theirs = botocore_headers(key, secret, token, region, url, payload, headers, when)
    assert ours["Authorization"] == theirs["Authorization"]
    assert ours["X-Amz-Date"] == theirs["X-Amz-Date"]
    assert ours.get("X-Amz-Security-Token") == theirs.get("X-Amz-Security-Token")


def test_a_changed_byte_changes_the_signature():
    """The check above can fail: the body, the secret and the time are each signed."""
    credentials = sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    base = dict(credentials=credentials, region="us-east-1", service="dynamodb",
                host="dynamodb.us-east-1.amazonaws.com", body=b"{}", headers={}, now=1.7e9)
    signature = sigv4.signed_headers(**base)["Authorization"]
    for change in ({"body": b"{ }"}, {"now": 1.7e9 + 1},
                   {"credentials": sigv4.Credentials("AKIDEXAMPLE", "x" * 40)}):
        assert sigv4.signed_headers(**{**base, **change})["Authorization"] != signature
