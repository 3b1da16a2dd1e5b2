"""The store on Lambda: one DynamoDB item per user, made by the SAM template, never by the skill.

Item layout (template.yaml must match):

    id          string, partition key: sha256 of the Alexa user id (keys.user_key)
    attributes  map: the allow-listed memory record (skill.memory.ALLOWED_KEYS)
    expires_at  number, epoch seconds: the table's TTL attribute, pushed on at every save

Built on the ASK SDK's DynamoDbAdapter, with what it lacks for a voice skill:

- nothing AWS is touched at import or build time: the boto3 client is made at
  the first get / save / delete (see _import_sdk_adapter for the SDK's own eager one);
- a low-level client rather than the SDK's resource: three calls need no resource
  model, and building the resource took twice as long as the client (about 50 ms
  of CPU more at each container's first memory read);
- short timeouts and one retry, so a slow or unreachable table fails well inside
  Alexa's 8-second budget and the interceptors' fail-soft path still answers;
- a TTL, with reads ignoring items already past it (DynamoDB deletes them lazily,
  sometimes days later);
- numbers converted both ways (DynamoDB refuses floats and hands back Decimals);
- every failure, throttling, timeouts and refused connections included, raised
  as the SDK's PersistenceException.
"""
from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ask_sdk_core.exceptions import PersistenceException

from .keys import user_key

if TYPE_CHECKING:
    from ..settings import Settings

PARTITION_KEY = "id"
ATTRIBUTES = "attributes"
TTL_ATTRIBUTE = "expires_at"
ENDPOINT_ENV = "DYNAMODB_ENDPOINT_URL"  # tests point this at a local moto server
REGION_ENVS = ("AWS_REGION", "AWS_DEFAULT_REGION")  # Lambda sets AWS_REGION

# Alexa waits 8 s for an answer, and a turn may read once and write once. Worst case
# for one call: two attempts of (connect 0.5 s + read 0.8 s) plus at most 1 s of
# back-off (botocore's "standard" mode) = 3.6 s, and a turn whose read fails makes
# no write. A healthy GetItem or PutItem answers in milliseconds.
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 0.8
TOTAL_ATTEMPTS = 2  # botocore's total_max_attempts: the first try and one retry


def _import_sdk_adapter() -> type:
    """Import DynamoDbAdapter without the boto3 resource its signature builds.

    ask_sdk_dynamodb.adapter declares `dynamodb_resource=boto3.resource("dynamodb")`
    as a default argument, evaluated once when the module is imported: without a
    region that raises NoRegionError, and with one it loads botocore's DynamoDB
    model on every cold start, even for requests that never read memory. We always
    pass our own (lazy) client, so while that one module is first imported,
    boto3.resource is swapped for a stub that returns None for this thread, and
    put back in `finally`. Other threads calling boto3.resource meanwhile get the
    real function.
    """
    module = sys.modules.get("ask_sdk_dynamodb.adapter")
    if module is None:
        import boto3

        real_resource = boto3.resource
        importer = threading.get_ident()

        def no_resource_during_import(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() != importer:
                return real_resource(*args, **kwargs)
            return None

        boto3.resource = no_resource_during_import
        try:
            from ask_sdk_dynamodb import adapter as module
        finally:
            boto3.resource = real_resource
    return module.DynamoDbAdapter


DynamoDbAdapter = _import_sdk_adapter()


class MissingRegion(PersistenceException):
    """No AWS region in the environment; like a SettingsError, it names the variables."""


class MemoryDynamoDbAdapter(DynamoDbAdapter):
    """DynamoDbAdapter with a lazy client, TTL, number conversion and fail-fast timeouts."""

    def __init__(self, table_name: str, ttl_days: int = 30,
                 environ: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.time):
        self._environ = environ  # None: os.environ, read at the first call
        self._clock = clock
        self._local = threading.local()  # one client per thread, each with its own session
        self._client_override = None
        self.ttl_seconds = ttl_days * 24 * 60 * 60
        super().__init__(table_name=table_name, partition_key_name=PARTITION_KEY,
                         attribute_name=ATTRIBUTES, create_table=False,
                         partition_keygen=user_key, dynamodb_resource=None)

    # The SDK class keeps its boto3 resource in `self.dynamodb`; here that name holds a
    # low-level DynamoDB client, made lazily.
    @property
    def dynamodb(self) -> Any:
        if self._client_override is not None:
            return self._client_override
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._make_client()
        return client

    @dynamodb.setter
    def dynamodb(self, client: Any) -> None:
        self._client_override = client  # None (ours) means "make one when first needed"

    def _make_client(self) -> Any:
        environ = os.environ if self._environ is None else self._environ
        region = next((environ[name].strip() for name in REGION_ENVS
                       if environ.get(name, "").strip()), None)
        if region is None:
            raise MissingRegion(
                f"no AWS region for the DynamoDB table {self.table_name!r}: set "
                f"{' or '.join(REGION_ENVS)} (Lambda sets AWS_REGION itself)")
        import boto3.session
        from botocore.config import Config

        config = Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                        retries={"total_max_attempts": TOTAL_ATTEMPTS, "mode": "standard"})
        endpoint = environ.get(ENDPOINT_ENV, "").strip() or None
        # Its own session: boto3's default session is shared and not thread-safe.
        session = boto3.session.Session(region_name=region)
        return session.client("dynamodb", config=config, endpoint_url=endpoint)

    def _key(self, request_envelope) -> dict:
        return {self.partition_key_name: {"S": self.partition_keygen(request_envelope)}}

    def _guarded(self, action: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except PersistenceException:
            raise
        except Exception as error:  # noqa: BLE001 - ClientError, BotoCoreError, anything
            raise PersistenceException(
                f"DynamoDB {action} on table {self.table_name!r} failed: "
                f"{_describe(error)}") from error

    def get_attributes(self, request_envelope) -> dict:
        key = self._key(request_envelope)
        response = self._guarded("read", lambda: self.dynamodb.get_item(
            TableName=self.table_name, Key=key, ConsistentRead=True))
        item = self._guarded("read", lambda: _from_wire(response.get("Item")))
        if not item:
            return {}
        if _expired(item.get(TTL_ATTRIBUTE), self._clock()):
            return {}  # past its TTL, not yet swept by DynamoDB
        attributes = from_dynamodb(item.get(self.attribute_name))
        return attributes if isinstance(attributes, dict) else {}

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        item = {self.partition_key_name: self.partition_keygen(request_envelope),
                self.attribute_name: self._guarded("save", lambda: to_dynamodb(dict(attributes))),
                TTL_ATTRIBUTE: int(self._clock()) + self.ttl_seconds}
        wire = self._guarded("save", lambda: _to_wire(item))
        self._guarded("save", lambda: self.dynamodb.put_item(TableName=self.table_name, Item=wire))

    def delete_attributes(self, request_envelope) -> None:
        key = self._key(request_envelope)
        self._guarded("delete", lambda: self.dynamodb.delete_item(
            TableName=self.table_name, Key=key))


def _to_wire(item: Mapping[str, Any]) -> dict:
    """Python values as DynamoDB's typed JSON ({"S": ...}, {"N": ...}, {"M": ...})."""
    from boto3.dynamodb.types import TypeSerializer

    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in item.items()}


def _from_wire(item: Mapping[str, Any] | None) -> dict:
    """DynamoDB's typed JSON back to Python values (numbers as Decimals)."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in (item or {}).items()}


def build_dynamodb_adapter(settings: Settings) -> MemoryDynamoDbAdapter:
    """The adapter for settings.table_name; touches no AWS API until first used."""
    return MemoryDynamoDbAdapter(settings.table_name, ttl_days=settings.ttl_days)


# --- numbers -------------------------------------------------------------------------

def to_dynamodb(value: Any) -> Any:
    """Floats become Decimals (through str, so 1.5 stays 1.5); ints and bools stay as they are."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"DynamoDB cannot store the number {value!r}")
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: to_dynamodb(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_dynamodb(v) for v in value]
    return value


def from_dynamodb(value: Any) -> Any:
    """Decimals back to plain ints (when whole) or floats, all the way down."""
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, Mapping):
        return {k: from_dynamodb(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamodb(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {from_dynamodb(v) for v in value}
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise TypeError(f"not a number: {type(value).__name__}")


def _expired(expires_at: Any, now: float) -> bool:
    """Past its TTL; an unreadable TTL counts as past (the next save writes a good one)."""
    if expires_at is None:
        return False
    try:
        return _number(expires_at) <= now
    except TypeError:
        return True


def _describe(error: BaseException) -> str:
    """The error's class and, for AWS errors, its code (throttling, missing table...)."""
    response = getattr(error, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    name = type(error).__name__
    return f"{name} ({code}): {error}" if code else f"{name}: {error}"
