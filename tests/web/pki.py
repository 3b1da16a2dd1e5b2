"""A throwaway certificate authority and signing certificates shaped like Alexa's.

Root CA -> intermediate CA -> signing certificate with SAN echo-api.amazon.com and the
digitalSignature key usage, as the SDK's checks require. Chains are written as PEM files
named like the last part of a SignatureCertChainUrl, for WEB_TEST_CERT_CHAIN_DIR.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_DOMAIN = "echo-api.amazon.com"
CHAIN_URL = "https://s3.amazonaws.com/echo.api/{}"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Back Spasm Helper tests")])


def _usage(**flags: bool) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: flags.get(n, False) for n in names})


@dataclass
class Authority:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate


def _certificate(subject: str, key, issuer: Authority | None, *, ca: bool,
                 san: list[str] | None = None, usage: x509.KeyUsage | None = None,
                 valid_from: timedelta = timedelta(days=-1),
                 valid_for: timedelta = timedelta(days=30)) -> x509.Certificate:
    now = datetime.now(UTC)
    issuer_name = issuer.cert.subject if issuer else _name(subject)
    signing_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now + valid_from).not_valid_after(now + valid_from + valid_for)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False)
    if ca:
        builder = builder.add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
    else:
        builder = builder.add_extension(
            usage or _usage(digital_signature=True, key_encipherment=True), critical=True)
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class TestPKI:
    """Files for the server, and keys for the tests to sign with."""
    root_file: Path
    chain_dir: Path
    intermediate: x509.Certificate
    root: x509.Certificate
    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)

    def url(self, chain: str = "good.pem") -> str:
        return CHAIN_URL.format(chain)

    def headers(self, body: bytes, chain: str = "good.pem", key: str | None = None) -> dict:
        """Signature-256 and SignatureCertChainUrl as Alexa sends them."""
        return {"Signature-256": sign(self.keys[key or chain], body),
                "SignatureCertChainUrl": self.url(chain)}


def sign(key: rsa.RSAPrivateKey, body: bytes) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def make_pki(directory: Path) -> TestPKI:
    """good.pem, plus chains each wrong in one way; every leaf key is in ``keys``."""
    root_key, inter_key = _key(), _key()
    root = Authority(root_key, _certificate("Test Root CA", root_key, None, ca=True))
    inter = Authority(inter_key, _certificate("Test Intermediate CA", inter_key, root, ca=True))
    stranger_key = _key()
    stranger = Authority(stranger_key,
                         _certificate("Untrusted Root CA", stranger_key, None, ca=True))
    chain_dir = directory / "chains"
    chain_dir.mkdir(parents=True)
    pki = TestPKI(directory / "root.pem", chain_dir, inter.cert, root.cert)
    pki.root_file.write_bytes(_pem(root.cert))
    leaves = {
        "good.pem": (inter, {}),
        "cached.pem": (inter, {}),
        "untrusted.pem": (stranger, {}),
        "expired.pem": (inter, {"valid_from": timedelta(days=-30),
                                "valid_for": timedelta(days=29)}),
        "wrong-san.pem": (inter, {"san": ["www.example.com"]}),
        "no-san.pem": (inter, {"san": []}),
        "no-signing-usage.pem": (inter, {"usage": _usage(key_encipherment=True)}),
    }
    for name, (issuer, options) in leaves.items():
        key = _key()
        options = {"san": [ALEXA_DOMAIN], **options}
        leaf = _certificate(ALEXA_DOMAIN, key, issuer, ca=False, **options)
        (chain_dir / name).write_bytes(_pem(leaf, issuer.cert))
        pki.keys[name] = key
    pki.keys["stranger"] = stranger_key
    return pki
