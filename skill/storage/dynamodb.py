"""The store on Lambda: one DynamoDB item per user, made by the SAM template, never by the skill.

Item layout (template.yaml must match):

    id          string, partition key: sha256 of the Alexa user id (identity.user_key)
    attributes  map: the allow-listed memory record (skill.memory.ALLOWED_KEYS)
    expires_at  number, epoch seconds: the table's TTL attribute, pushed on at every save

A session makes one GetItem and one PutItem (skill.interceptors), so the adapter talks to
DynamoDB's JSON API itself: an HTTPS POST per call (http.client), signed with AWS Signature
Version 4 (skill.storage.sigv4, checked against botocore's signer in the tests) with the
credentials Lambda puts in the environment. A boto3 client would import boto3, s3transfer and
botocore and load DynamoDB's service model at every cold start; botocore's signer alone would
still import urllib3 and its credential machinery: on python3.12 with .pyc the cold start of a
launch was 281 ms of CPU with the boto3 client, 185 ms with botocore's signer and urllib3, and
see make bench for this one (the README's table). What it does for a voice skill:

- nothing is touched at import or build time: the credentials and the connection are made at
  the first get / save / delete, one keep-alive connection per thread (an idle one the server
  closed is reopened at once, without spending the retry);
- short timeouts and one retry (throttling, 5xx, a dropped connection), so a slow or
  unreachable table fails well inside Alexa's 8-second budget and the interceptors' fail-soft
  path still answers;
- a TTL, with reads ignoring items already past it (DynamoDB deletes them lazily,
  sometimes days later);
- numbers converted both ways (DynamoDB refuses floats; its numbers come back as strings);
- every failure, throttling, timeouts and refused connections included, raised as the SDK's
  PersistenceException, naming DynamoDB's error code.

Credentials: the environment's (Lambda's role: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN), read at every call; without them (a self-hosted service with a profile or
an instance role) botocore's credential chain, imported only then.
"""
from __future__ import annotations

import json
import math
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from . import sigv4
from ..identity import user_key

if TYPE_CHECKING:
    from ..settings import Settings

PARTITION_KEY = "id"
ATTRIBUTES = "attributes"
TTL_ATTRIBUTE = "expires_at"
ENDPOINT_ENV = "DYNAMODB_ENDPOINT_URL"  # tests point this at a local moto server
REGION_ENVS = ("AWS_REGION", "AWS_DEFAULT_REGION")  # Lambda sets both
API_VERSION = "DynamoDB_20120810"

# Alexa waits 8 s for an answer, and a session reads once and writes once. Worst case for
# one call: two attempts of (connect 0.5 s + read 0.8 s) plus at most 1 s of back-off =
# 3.6 s, and a turn whose read fails makes no write. A healthy call answers in milliseconds.
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 0.8
TOTAL_ATTEMPTS = 2  # the first try and one retry
MAX_BACKOFF_S = 1.0
# Worth one more try: DynamoDB's own advice for throttling and its 5xx errors.
RETRYABLE_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException",
                             "RequestLimitExceeded", "InternalServerError",
                             "ServiceUnavailable", "TransactionConflictException"})


class MissingRegion(PersistenceException):
    """No AWS region in the environment; like a SettingsError, it names the variables."""


class DynamoDBError(PersistenceException):
    """DynamoDB answered with an error; `code` is its type ("ResourceNotFoundException")."""

    def __init__(self, code: str, message: str, status: int):
        super().__init__(f"{code} (HTTP {status}): {message}")
        self.code, self.status = code, status


class DynamoDBClient:
    """DynamoDB's JSON API: a signed POST a call, on one keep-alive connection per thread."""

    def __init__(self, region: str, endpoint: str | None = None,
                 environ: Mapping[str, str] | None = None):
        self.region = region
        self.endpoint = (endpoint or f"https://dynamodb.{region}.amazonaws.com").rstrip("/")
        parts = urlsplit(self.endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.netloc  # what is signed: "host" or "host:port"
        self._address = (parts.hostname or "", parts.port or (443 if self._https else 80))
        self._environ = environ
        self._local = threading.local()
        self._tls: Any = None  # one TLS context for every connection: loading the CAs costs
        self._chain: Any = None  # botocore's credential chain, when the environment has none

    def call(self, operation: str, body: Mapping[str, Any]) -> dict:
        payload = json.dumps(body).encode()
        for attempt in range(1, TOTAL_ATTEMPTS + 1):
            try:
                return self._send(operation, payload)
            except PersistenceException as error:
                retry = attempt < TOTAL_ATTEMPTS and (
                    not isinstance(error, DynamoDBError) or error.code in RETRYABLE_CODES
                    or error.status >= 500)
                if not retry:
                    raise
                time.sleep(random.uniform(0, MAX_BACKOFF_S))  # full jitter, as botocore's
        raise AssertionError("unreachable")

    def _send(self, operation: str, payload: bytes) -> dict:
        headers = sigv4.signed_headers(
            self._credentials(), self.region, "dynamodb", self._host, payload,
            {"Content-Type": "application/x-amz-json-1.0",
             "X-Amz-Target": f"{API_VERSION}.{operation}"})
        status, data = self._post(payload, headers)
        try:
            answer = json.loads(data or b"{}")
        except ValueError:
            answer = {}
        if status != 200 or not isinstance(answer, dict):
            answer = answer if isinstance(answer, dict) else {}
            code = str(answer.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP{status}"
            message = answer.get("message") or answer.get("Message") or ""
            raise DynamoDBError(code, message, status)
        return answer

    def _post(self, payload: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        import http.client

        connection = getattr(self._local, "connection", None)
        reused = connection is not None
        while True:
            if connection is None:
                connection = self._local.connection = self._connect()
            try:
                connection.request("POST", "/", body=payload, headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                self._local.connection = connection = None
                if reused and isinstance(error, (http.client.RemoteDisconnected,
                                                 ConnectionResetError, BrokenPipeError)):
                    reused = False  # the server closed an idle connection: once more, afresh
                    continue
                if isinstance(error, TimeoutError):
                    raise PersistenceException(
                        f"no answer from {self.endpoint} within {READ_TIMEOUT_S} s "
                        f"(ReadTimeout)") from error
                raise PersistenceException(f"the connection to {self.endpoint} failed: "
                                           f"{type(error).__name__}: {error}") from error

    def prepare(self) -> None:
        """Everything a first call needs but a connection: the modules and the TLS context
        (loading the CA certificates is most of it). For a SnapStart snapshot, which must hold
        no connection."""
        import http.client  # noqa: F401 - imported now, so the snapshot holds it

        if self._https and self._tls is None:
            import ssl

            self._tls = ssl.create_default_context()

    def _connect(self) -> Any:
        import http.client

        host, port = self._address
        if self._https:
            self.prepare()
            connection: Any = http.client.HTTPSConnection(host, port, timeout=CONNECT_TIMEOUT_S,
                                                          context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=CONNECT_TIMEOUT_S)
        try:
            connection.connect()
        except OSError as error:
            connection.close()
            raise PersistenceException(f"could not reach {self.endpoint}: "
                                       f"{type(error).__name__}: {error}") from error
        connection.sock.settimeout(READ_TIMEOUT_S)
        return connection

    def _credentials(self) -> sigv4.Credentials:
        environ = os.environ if self._environ is None else self._environ
        key, secret = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
        if key and secret:
            return sigv4.Credentials(key, secret, environ.get("AWS_SESSION_TOKEN") or None)
        if self._chain is None:  # off Lambda: a profile, SSO, an instance or container role
            try:
                import botocore.session
            except ImportError as error:
                raise PersistenceException("no AWS credentials in the environment, and no "
                                           "botocore to find others") from error
            self._chain = botocore.session.Session().get_credentials()
            if self._chain is None:
                raise PersistenceException("no AWS credentials: set AWS_ACCESS_KEY_ID and "
                                           "AWS_SECRET_ACCESS_KEY, or a profile or a role")
        frozen = self._chain.get_frozen_credentials()
        return sigv4.Credentials(frozen.access_key, frozen.secret_key, frozen.token)


class MemoryDynamoDbAdapter(AbstractPersistenceAdapter):
    """The ASK SDK's persistence interface on DynamoDB: one item per (hashed) user."""

    def __init__(self, table_name: str, ttl_days: int = 30,
                 environ: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.time):
        self.table_name = table_name
        self._environ = environ  # None: os.environ, read at the first call
        self._clock = clock
        self._client: DynamoDBClient | None = None
        self._lock = threading.Lock()
        self.ttl_seconds = ttl_days * 24 * 60 * 60

    @property
    def client(self) -> DynamoDBClient:
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    @client.setter
    def client(self, client: DynamoDBClient | None) -> None:
        self._client = client  # None means "make one when first needed"

    def prepare(self) -> None:
        """Ready for the first call, without making one (see DynamoDBClient.prepare)."""
        self.client.prepare()

    def _make_client(self) -> DynamoDBClient:
        environ = os.environ if self._environ is None else self._environ
        region = next((environ[name].strip() for name in REGION_ENVS
                       if environ.get(name, "").strip()), None)
        if region is None:
            raise MissingRegion(
                f"no AWS region for the DynamoDB table {self.table_name!r}: set "
                f"{' or '.join(REGION_ENVS)} (Lambda sets AWS_REGION itself)")
        return DynamoDBClient(region, environ.get(ENDPOINT_ENV, "").strip() or None,
                              self._environ)

    def _key(self, request_envelope) -> dict:
        return {PARTITION_KEY: {"S": user_key(request_envelope)}}

    def _call(self, action: str, operation: str, body: dict) -> dict:
        client = self.client  # MissingRegion as it is: it names the variables to set
        try:
            return client.call(operation, {"TableName": self.table_name, **body})
        except PersistenceException as error:
            raise PersistenceException(f"DynamoDB {action} on table {self.table_name!r} "
                                       f"failed: {type(error).__name__}: {error}") from error

    def get_attributes(self, request_envelope) -> dict:
        answer = self._call("read", "GetItem", {"Key": self._key(request_envelope),
                                                "ConsistentRead": True})
        try:
            item = from_wire(answer.get("Item") or {})
        except (TypeError, ValueError, ArithmeticError) as error:
            raise PersistenceException(f"DynamoDB read on table {self.table_name!r}: an item "
                                       f"it cannot hold: {error}") from error
        if not item:
            return {}
        if _expired(item.get(TTL_ATTRIBUTE), self._clock()):
            return {}  # past its TTL, not yet swept by DynamoDB
        attributes = item.get(ATTRIBUTES)
        return attributes if isinstance(attributes, dict) else {}

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        try:
            item = to_wire({PARTITION_KEY: user_key(request_envelope),
                            ATTRIBUTES: dict(attributes),
                            TTL_ATTRIBUTE: int(self._clock()) + self.ttl_seconds})
        except (TypeError, ValueError) as error:
            raise PersistenceException(f"DynamoDB save on table {self.table_name!r}: "
                                       f"{error}") from error
        self._call("save", "PutItem", {"Item": item})

    def delete_attributes(self, request_envelope) -> None:
        self._call("delete", "DeleteItem", {"Key": self._key(request_envelope)})


def build_dynamodb_adapter(settings: Settings) -> MemoryDynamoDbAdapter:
    """The adapter for settings.table_name; touches no AWS API until first used."""
    return MemoryDynamoDbAdapter(settings.table_name, ttl_days=settings.ttl_days)


# --- DynamoDB's typed JSON -------------------------------------------------------------

def to_wire(item: Mapping[str, Any]) -> dict:
    """Python values as DynamoDB's typed JSON ({"S": ...}, {"N": ...}, {"M": ...})."""
    return {str(name): _typed(value) for name, value in item.items()}


def _typed(value: Any) -> dict:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, Decimal)):
        return {"N": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"DynamoDB cannot store the number {value!r}")
        return {"N": str(Decimal(str(value)))}  # through str, so 1.5 stays 1.5
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, Mapping):
        return {"M": to_wire(value)}
    if isinstance(value, (list, tuple)):
        return {"L": [_typed(v) for v in value]}
    raise TypeError(f"DynamoDB cannot store a {type(value).__name__}")


def from_wire(item: Mapping[str, Any]) -> dict:
    """DynamoDB's typed JSON back to Python: whole numbers as ints, others as floats."""
    return {name: _plain(value) for name, value in item.items()}


def _plain(typed: Mapping[str, Any]) -> Any:
    (kind, value), = typed.items()
    if kind == "N":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "M":
        return from_wire(value)
    if kind == "L":
        return [_plain(v) for v in value]
    if kind == "NULL":
        return None
    if kind in ("S", "BOOL"):
        return value
    raise TypeError(f"an attribute of type {kind}")


def _expired(expires_at: Any, now: float) -> bool:
    """Past its TTL; an unreadable TTL counts as past (the next save writes a good one)."""
    if expires_at is None:
        return False
    return not isinstance(expires_at, (int, float)) or isinstance(expires_at, bool) \
        or expires_at <= now
