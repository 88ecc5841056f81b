"""Test certificates for the TLS tests, made fresh by the ``cryptography`` package (which
pyOpenSSL depends on): nothing private is committed.

``make_certs(directory)`` writes PEM files and returns their paths by name:

========================  ==================================================================
``ca.pem`` / ``ca.key``   the test root CA (``CN=twnet test CA``)
``other-ca.pem``          a second root CA that signed nothing the servers use
``server.pem/.key``       ``CN=localhost``, SAN ``DNS:localhost, IP:127.0.0.1``, signed by ca
``chain.pem``             server.pem followed by ca.pem (the server sends the root too)
``selfsigned.pem/.key``   ``CN=localhost`` (SAN as server) signed by itself
``wrongname.pem/.key``    ``CN=wrong.example``, SAN ``DNS:wrong.example``, signed by ca
``expired.pem/.key``      as server.pem but valid 2001-01-01 .. 2002-01-01
``client.pem/.key``       ``CN=twnet test client``, clientAuth, signed by ca
``otherclient.pem/.key``  ``CN=stranger``, clientAuth, signed by other-ca
========================  ==================================================================

Keys are P-256 EC keys (fast to make). Run as a script to write them into a directory:
``python -m tests.tls.certs DIR``.
"""

from __future__ import annotations

import datetime
import ipaddress
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["make_certs"]

_NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
_NOT_BEFORE = _NOW - datetime.timedelta(days=1)
_NOT_AFTER = _NOW + datetime.timedelta(days=30)


def _name(cn: str, org: str = "twnet tests") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


class _Issued:
    def __init__(self, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
        self.cert = cert
        self.key = key


def _issue(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: _Issued | None,
    *,
    serial: int,
    ca: bool = False,
    dns: tuple[str, ...] = (),
    ips: tuple[str, ...] = (),
    client: bool = False,
    not_before: datetime.datetime = _NOT_BEFORE,
    not_after: datetime.datetime = _NOT_AFTER,
) -> _Issued:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    signer = issuer.key if issuer else key
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return _Issued(builder.sign(signer, hashes.SHA256()), key)


def _pem(issued: _Issued) -> bytes:
    return issued.cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(issued: _Issued) -> bytes:
    return issued.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_certs(directory: str | Path) -> dict[str, Path]:
    """Write the test CA and certificates into *directory*; return ``{file name: path}``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    ca = _issue(_name("twnet test CA"), _key(), None, serial=1, ca=True)
    other_ca = _issue(_name("twnet other CA", "elsewhere"), _key(), None, serial=2, ca=True)
    host = {"dns": ("localhost",), "ips": ("127.0.0.1",)}
    server_key = _key()
    issued = {
        "ca": ca,
        "other-ca": other_ca,
        "server": _issue(_name("localhost"), server_key, ca, serial=0x1001, **host),
        "selfsigned": _issue(_name("localhost"), _key(), None, serial=0x1002, **host),
        "wrongname": _issue(
            _name("wrong.example"), _key(), ca, serial=0x1003, dns=("wrong.example",)
        ),
        "expired": _issue(
            _name("localhost"),
            _key(),
            ca,
            serial=0x1004,
            not_before=datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc),
            not_after=datetime.datetime(2002, 1, 1, tzinfo=datetime.timezone.utc),
            **host,
        ),
        "client": _issue(_name("twnet test client"), _key(), ca, serial=0x1005, client=True),
        "otherclient": _issue(_name("stranger"), _key(), other_ca, serial=0x1006, client=True),
    }
    paths: dict[str, Path] = {}
    for name, item in issued.items():
        paths[f"{name}.pem"] = out / f"{name}.pem"
        paths[f"{name}.pem"].write_bytes(_pem(item))
        paths[f"{name}.key"] = out / f"{name}.key"
        paths[f"{name}.key"].write_bytes(_key_pem(item))
    paths["chain.pem"] = out / "chain.pem"
    paths["chain.pem"].write_bytes(_pem(issued["server"]) + _pem(ca))
    paths["chain.key"] = paths["server.key"]
    return paths


if __name__ == "__main__":
    for path in make_certs(sys.argv[1]).values():
        print(path)
