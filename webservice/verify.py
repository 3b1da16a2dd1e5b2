"""Alexa's checks on each request: signature (Signature-256), timestamp, skill id.

Every failure raises the SDK's ``VerificationException``, which the adapter answers with 400.
"""
from __future__ import annotations

import base64
import binascii
import threading
from datetime import datetime, UTC
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlparse
from urllib.request import urlopen

from ask_sdk_webservice_support.verifier import (
    AbstractVerifier, RequestVerifier, TimestampVerifier, VerificationException)
from ask_sdk_webservice_support.verifier_constants import (
    CERT_CHAIN_DOMAIN, SIGNATURE_CERT_CHAIN_URL_HEADER)
from asn1crypto import pem
from certvalidator import CertificateValidator, ValidationContext
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256

from skill import front_door
from .certcache import CertificateCache

SIGNATURE_256_HEADER = "Signature-256"
DOWNLOAD_TIMEOUT_S = 5.0
MAX_CHAIN_BYTES = 64 * 1024

ChainLoader = Callable[[str], bytes]


def download_chain(url: str) -> bytes:
    """The PEM chain at a URL that passed the SDK's rules (s3.amazonaws.com/echo.api/...)."""
    try:
        with urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            data = response.read(MAX_CHAIN_BYTES + 1)
    except (OSError, ValueError) as error:
        raise VerificationException(
            f"cannot download the certificate chain: {type(error).__name__}") from None
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationException("certificate chain is too large")
    return data


class DirectoryChainLoader:
    """TEST ONLY (WEB_TEST_CERT_CHAIN_DIR): a chain URL's last path part names a file here."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def __call__(self, url: str) -> bytes:
        name = Path(urlparse(url).path).name
        path = self.directory / name
        try:
            if name and path.is_file():
                return path.read_bytes()
        except OSError:  # a name too long for the file system, like any unreadable one
            pass
        raise VerificationException("no such certificate chain")


def header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value).strip()
    return None


class AlexaSignatureVerifier(RequestVerifier):
    """The SDK's RequestVerifier made fit for a public endpoint.

    Kept from the SDK: the chain URL rules (``_validate_certificate_url``), chain validation with
    certvalidator for the ``digital_signature`` key usage, the echo-api.amazon.com SAN and date
    checks, PKCS#1 v1.5 with SHA-256 over the raw body. Changed: ``Signature-256`` is the header
    by name whatever the SDK version's default; a download, base64, PEM or SAN problem is a
    ``VerificationException`` too (the SDK lets them escape, and Flask-Ask-SDK answers 500);
    downloads time out and are size-limited; validated chains are cached by URL until their
    first certificate expires (the SDK keeps raw bytes forever and validates them each time).
    """

    def __init__(self, loader: ChainLoader | None = None,
                 extra_trust_roots: Iterable[bytes] = (), cache: CertificateCache | None = None):
        super().__init__(signature_cert_chain_url_key=SIGNATURE_CERT_CHAIN_URL_HEADER,
                         signature_key=SIGNATURE_256_HEADER, padding=PKCS1v15(),
                         hash_algorithm=SHA256())
        self._loader = loader or download_chain
        self._extra_trust_roots = list(extra_trust_roots)
        self.cache = cache or CertificateCache()
        self._validating = threading.Lock()

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        url = header(headers, self._signature_cert_chain_url_key)
        signature = header(headers, self._signature_key)
        if not url or not signature:
            raise VerificationException("missing Signature-256 or SignatureCertChainUrl header")
        certificate = self._retrieve_and_validate_certificate_chain(url)
        self._valid_request_body(certificate, signature, serialized_request_env)

    def _retrieve_and_validate_certificate_chain(self, cert_url, x509_backend=None):
        try:
            self._validate_certificate_url(cert_url)  # the SDK's rules
        except ValueError as error:
            # urllib raises for a port out of range or not a number, or a broken IPv6 host;
            # the SDK lets it escape (a 500).
            raise VerificationException(
                f"Signature Certificate URL cannot be parsed: {error}") from None
        certificate = self.cache.get(cert_url)
        if certificate is None:
            # One validation at a time, and the others then use its result: certvalidator and
            # asn1crypto parse shared objects (the trust roots) lazily and are not thread-safe;
            # concurrent first requests failed at random with "No field numbered N" KeyErrors.
            with self._validating:
                certificate = self.cache.get(cert_url)
                if certificate is None:
                    return self._validate_and_cache(cert_url)
        self._validate_end_certificate(certificate)  # dates move on
        return certificate

    def _validate_and_cache(self, cert_url: str) -> x509.Certificate:
        chain = self._load_cert_chain(cert_url)
        self._validate_cert_chain(chain)
        certificates = _load_pem_chain(chain)
        certificate = certificates[0]
        self._validate_end_certificate(certificate)
        self.cache.put(cert_url, certificate,
                       min(c.not_valid_after_utc for c in certificates).timestamp())
        return certificate

    def _load_cert_chain(self, cert_url: str) -> bytes:
        self.cache.count_download()
        return self._loader(cert_url)

    def _validate_cert_chain(self, cert_chain: bytes) -> None:
        try:
            blocks = [der for _, _, der in pem.unarmor(cert_chain, multiple=True)]
            if not blocks:
                raise ValueError("no certificate")
            context = ValidationContext(extra_trust_roots=self._extra_trust_roots or None)
            validator = CertificateValidator(blocks[0], blocks[1:], context)
            validator.validate_usage(key_usage={"digital_signature"})
        except Exception as error:
            raise VerificationException(
                f"certificate chain is not valid: {type(error).__name__}: {error}") from None

    def _validate_end_certificate(self, x509_cert: x509.Certificate) -> None:
        now = datetime.now(UTC)
        if not x509_cert.not_valid_before_utc <= now <= x509_cert.not_valid_after_utc:
            raise VerificationException("signing certificate is expired or not yet valid")
        try:
            names = x509_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound:
            raise VerificationException(
                "signing certificate has no subject alternative name") from None
        if CERT_CHAIN_DOMAIN not in names.value.get_values_for_type(x509.DNSName):
            raise VerificationException(f"{CERT_CHAIN_DOMAIN} missing from the signing certificate")

    def _valid_request_body(self, cert_chain: x509.Certificate, signature: str,
                            serialized_request_env: str) -> None:
        try:
            decoded = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationException("Signature-256 is not base64") from None
        key = cert_chain.public_key()
        if not isinstance(key, RSAPublicKey):
            raise VerificationException("signing key is not RSA")
        try:
            key.verify(decoded, serialized_request_env.encode("utf-8"),
                       self._padding, self._hash_algorithm)
        except InvalidSignature:
            raise VerificationException("signature does not match the body") from None


def _load_pem_chain(chain: bytes) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(chain)
    except ValueError:
        raise VerificationException("certificate chain is not PEM") from None


class TimestampCheck(TimestampVerifier):
    """The SDK's 150-second rule (an hour for skill events), refusing timestamps without a zone."""

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        stamp = getattr(getattr(deserialized_request_env, "request", None), "timestamp", None)
        if not isinstance(stamp, datetime) or stamp.tzinfo is None:
            raise VerificationException("request timestamp missing or without a time zone")
        try:
            super().verify(headers, serialized_request_env, deserialized_request_env)
        except VerificationException:
            raise VerificationException("request timestamp is too far from now") from None


class SkillIdVerifier(AbstractVerifier):
    """The request's skill id (in context and, when present, session) must be ours: the same
    check the Lambda handler makes (skill/front_door.py), on what the adapter read."""

    def __init__(self, skill_id: str):
        self.skill_id = skill_id

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        problem = front_door.skill_id_problem(deserialized_request_env.arrival, self.skill_id)
        if problem is not None:
            raise VerificationException(problem)


def warm_up() -> None:
    """Load libcrypto and the system trust roots now, so a problem stops start-up."""
    from oscrypto import trust_list
    trust_list.get_list()
