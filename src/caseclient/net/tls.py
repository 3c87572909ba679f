"""The TLS context every connection uses: verification always on, the operating system's trust
store (truststore: Windows, macOS and Linux stores, so a corporate TLS-inspection CA works), an
optional extra CA bundle, and an optional client certificate (PEM, or PKCS#12 as Serviceplatformen
issues them)."""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
from pathlib import Path

import truststore
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    pkcs12,
)

from ..domain import CaseclientError


class CertificateError(CaseclientError):
    """A CA bundle or client certificate file cannot be used."""

    code = "certificate"


def is_pkcs12(path: str | Path) -> bool:
    return str(path).lower().endswith((".p12", ".pfx"))


def make_ssl_context(
    *,
    ca_bundle: str = "",
    client_certificate: str = "",
    client_key: str = "",
    certificate_password: str | None = None,
) -> ssl.SSLContext:
    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_bundle:
        try:
            ctx.load_verify_locations(cafile=ca_bundle)
        except (ssl.SSLError, OSError, ValueError):
            raise CertificateError(f"{ca_bundle} holds no usable CA certificate (PEM expected).") from None
    if client_certificate:
        if is_pkcs12(client_certificate):
            _load_pkcs12(ctx, Path(client_certificate), certificate_password)
        else:
            _load_pem(ctx, client_certificate, client_key or None, certificate_password)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    return ctx


def _load_pem(ctx: ssl.SSLContext, certificate: str, key: str | None, password: str | None) -> None:
    try:
        ctx.load_cert_chain(certificate, key, password=password or "")
    except (ssl.SSLError, OSError, ValueError):
        raise CertificateError(
            f"The client certificate {certificate} could not be opened: the file, its key or the "
            "password in the keyring is wrong."
        ) from None


def _load_pkcs12(ctx: ssl.SSLContext, path: Path, password: str | None) -> None:
    """ssl only reads files, so the key is handed over in a short-lived file that is itself
    encrypted with a one-time passphrase, in a private folder, and removed at once."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode() if password else None
        )
    except (ValueError, OSError):
        raise CertificateError(
            f"The client certificate {path} could not be opened: it is not PKCS#12, or the password "
            "in the keyring is wrong."
        ) from None
    if key is None or cert is None:
        raise CertificateError(f"The client certificate {path} holds no certificate with its private key.")
    one_time = secrets.token_urlsafe(32).encode()
    pem_chain = b"".join(c.public_bytes(Encoding.PEM) for c in [cert, *chain])
    pem_key = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(one_time))
    with tempfile.TemporaryDirectory(prefix="caseclient-cert-") as folder:
        os.chmod(folder, 0o700)
        cert_file, key_file = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        cert_file.write_bytes(pem_chain)
        key_file.write_bytes(pem_key)
        ctx.load_cert_chain(cert_file, key_file, password=one_time)
