"""A throwaway certificate authority made with cryptography at test time: a server certificate
for 127.0.0.1/localhost and client certificates as PEM and PKCS#12 files."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "caseclient tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Issued:
    certificate: Path  # PEM
    key: Path  # PEM, unencrypted unless a password was given
    pkcs12: Path | None = None


class TestCA:
    __test__ = False  # not a pytest class

    def __init__(self, folder: Path, name: str = "caseclient Test Root CA") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name)).issuer_name(_name(name))
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.pem = folder / "ca.pem"
        self.pem.write_bytes(self.cert.public_bytes(Encoding.PEM))

    def _issue(self, common_name: str, usage: x509.ObjectIdentifier,
               san: list[x509.GeneralName] | None) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name)).issuer_name(self.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                           critical=False)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return key, builder.sign(self.key, hashes.SHA256())

    def _write(self, stem: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
               password: str | None) -> Issued:
        cert_path, key_path = self.folder / f"{stem}.crt.pem", self.folder / f"{stem}.key.pem"
        cert_path.write_bytes(cert.public_bytes(Encoding.PEM))
        encryption = BestAvailableEncryption(password.encode()) if password else NoEncryption()
        key_path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption))
        return Issued(cert_path, key_path)

    def server(self, stem: str = "server") -> Issued:
        key, cert = self._issue("127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH,
                                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
        return self._write(stem, key, cert, None)

    def client(self, common_name: str, password: str | None = None) -> Issued:
        stem = common_name.replace(" ", "-")
        key, cert = self._issue(common_name, ExtendedKeyUsageOID.CLIENT_AUTH, None)
        issued = self._write(stem, key, cert, password)
        issued.pkcs12 = self.folder / f"{stem}.p12"
        encryption = BestAvailableEncryption(password.encode()) if password else NoEncryption()
        issued.pkcs12.write_bytes(
            pkcs12.serialize_key_and_certificates(common_name.encode(), key, cert, [self.cert], encryption)
        )
        return issued
