"""What Node's ``tls`` reports about a peer: its certificate as a dict with Node's keys, the
certificate-verification error codes and messages, ``checkServerIdentity``, and Node's errors
for OpenSSL failures.

Twisted-free: it reads certificates with the ``cryptography`` package (pyOpenSSL's own
dependency) and builds errors from twnet's error classes.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from typing import Any

from twnet._errors import NodeError, TLSError, system_error, tls_error
from twnet._isip import isIP

__all__ = [
    "TLSError",
    "check_server_identity",
    "conn_reset",
    "peer_certificate",
    "ssl_error",
    "verify_error",
]

#: OpenSSL's X509_V_ERR_* numbers -> (Node's code, OpenSSL 3's text).
VERIFY_ERRORS: dict[int, tuple[str, str]] = {
    2: ("UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate"),
    3: ("UNABLE_TO_GET_CRL", "unable to get certificate CRL"),
    4: ("UNABLE_TO_DECRYPT_CERT_SIGNATURE", "unable to decrypt certificate's signature"),
    5: ("UNABLE_TO_DECRYPT_CRL_SIGNATURE", "unable to decrypt CRL's signature"),
    6: ("UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "unable to decode issuer public key"),
    7: ("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
    8: ("CRL_SIGNATURE_FAILURE", "CRL signature failure"),
    9: ("CERT_NOT_YET_VALID", "certificate is not yet valid"),
    10: ("CERT_HAS_EXPIRED", "certificate has expired"),
    11: ("CRL_NOT_YET_VALID", "CRL is not yet valid"),
    12: ("CRL_HAS_EXPIRED", "CRL has expired"),
    13: ("ERROR_IN_CERT_NOT_BEFORE_FIELD", "format error in certificate's notBefore field"),
    14: ("ERROR_IN_CERT_NOT_AFTER_FIELD", "format error in certificate's notAfter field"),
    15: ("ERROR_IN_CRL_LAST_UPDATE_FIELD", "format error in CRL's lastUpdate field"),
    16: ("ERROR_IN_CRL_NEXT_UPDATE_FIELD", "format error in CRL's nextUpdate field"),
    17: ("OUT_OF_MEM", "out of memory"),
    18: ("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
    19: ("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
    20: ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"),
    21: ("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
    22: ("CERT_CHAIN_TOO_LONG", "certificate chain too long"),
    23: ("CERT_REVOKED", "certificate revoked"),
    24: ("INVALID_CA", "invalid CA certificate"),
    25: ("PATH_LENGTH_EXCEEDED", "path length constraint exceeded"),
    26: ("INVALID_PURPOSE", "unsupported certificate purpose"),
    27: ("CERT_UNTRUSTED", "certificate not trusted"),
    28: ("CERT_REJECTED", "certificate rejected"),
    29: ("SUBJECT_ISSUER_MISMATCH", "subject issuer mismatch"),
    30: ("AKID_SKID_MISMATCH", "authority and subject key identifier mismatch"),
    31: ("AKID_ISSUER_SERIAL_MISMATCH", "authority and issuer serial number mismatch"),
    32: ("KEYUSAGE_NO_CERTSIGN", "key usage does not include certificate signing"),
    62: ("HOSTNAME_MISMATCH", "hostname mismatch"),
    63: ("EMAIL_MISMATCH", "email address mismatch"),
    64: ("IP_ADDRESS_MISMATCH", "IP address mismatch"),
}

#: Node 24 adds this hint to the errors a missing root certificate causes.
_SYSTEM_CA_HINT = "; if the root CA is installed locally, try running Node.js with --use-system-ca"
_HINTED = {
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
}


def verify_error(number: int) -> TLSError:
    """Node's error for OpenSSL's certificate-verification result *number*."""
    code, text = VERIFY_ERRORS.get(
        number, ("UNSPECIFIED", "unspecified certificate verification error")
    )
    if code in _HINTED:
        text += _SYSTEM_CA_HINT
    return tls_error(code, text)


def verify_code(number: int) -> str:
    """Node's ``authorizationError`` for a verification result (its code)."""
    return VERIFY_ERRORS.get(number, ("UNSPECIFIED", ""))[0]


def ssl_error(reasons: list[tuple[str, str, str]] | Any) -> TLSError:
    """Node's error for an OpenSSL failure, from pyOpenSSL's error list
    (``[(library, function, reason), ...]``): code ``ERR_SSL_`` + the reason in capitals
    (``ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED``), ``library``, ``reason``. Node's message
    is OpenSSL's full error line (with its source file and line); twnet's is
    ``library:function:reason``."""
    entry = ("SSL routines", "", "unknown error")
    if isinstance(reasons, list) and reasons and isinstance(reasons[-1], tuple):
        entry = tuple(str(part) for part in reasons[-1])  # type: ignore[assignment]
    library, function, reason = entry[0], entry[1], entry[2]
    code = "ERR_SSL_" + reason.upper().replace(" ", "_").replace("-", "_")
    return tls_error(code, f"{library}:{function}:{reason}", library=library, reason=reason)


def altname_error(reason: str) -> TLSError:
    """``ERR_TLS_CERT_ALTNAME_INVALID`` for a name check made elsewhere (service_identity,
    under Twisted's ``tls:`` endpoints), with its text as ``reason``."""
    return tls_error(
        "ERR_TLS_CERT_ALTNAME_INVALID",
        f"Hostname/IP does not match certificate's altnames: {reason}",
        reason=reason,
    )


def conn_reset(message: str) -> NodeError:
    """Node's ``ConnResetException``: ``ECONNRESET`` with a message of its own
    (``'socket hang up'``, ``'Client network socket disconnected before secure TLS connection
    was established'``)."""
    return system_error("ECONNRESET", "read", message=message)


# -- the peer's certificate --------------------------------------------------------------

_SHORT_NAMES = {
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "commonName": "CN",
    "emailAddress": "emailAddress",
    "serialNumber": "serialNumber",
    "domainComponent": "DC",
    "givenName": "GN",
    "surname": "SN",
    "title": "title",
}


def _name_dict(name: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute in name:
        key = _SHORT_NAMES.get(attribute.oid._name, attribute.oid._name)
        value = attribute.value if isinstance(attribute.value, str) else str(attribute.value)
        if key in out:  # Node: repeated attributes become an array
            previous = out[key]
            out[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[key] = value
    return out


def _node_time(moment: Any) -> str:
    # OpenSSL's ASN1_TIME_print: 'Nov 29 02:44:31 2026 GMT' (day padded with a space).
    return f"{moment:%b} {moment.day:2d} {moment:%H:%M:%S %Y} GMT"


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{b:02X}" for b in digest)


def _alt_names(cert: Any) -> str | None:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    parts: list[str] = []
    for general in ext:
        if isinstance(general, x509.DNSName):
            parts.append(f"DNS:{general.value}")
        elif isinstance(general, x509.IPAddress):
            address = general.value
            text = str(address)
            if isinstance(address, ipaddress.IPv6Address):
                # OpenSSL prints each of the 8 groups in hex, upper case, unpadded.
                text = ":".join(f"{int(group, 16):X}" for group in address.exploded.split(":"))
            parts.append(f"IP Address:{text}")
        elif isinstance(general, x509.RFC822Name):
            parts.append(f"email:{general.value}")
        elif isinstance(general, x509.UniformResourceIdentifier):
            parts.append(f"URI:{general.value}")
    return ", ".join(parts)


def peer_certificate(
    der: bytes | None, detailed: bool = False, issuer_of: Any = None
) -> dict[str, Any]:
    """Node's ``getPeerCertificate()`` dict for a DER certificate (``{}`` for None): ``subject``,
    ``issuer``, ``subjectaltname``, ``ca``, ``bits``, ``pubkey``, ``valid_from``, ``valid_to``,
    ``fingerprint``, ``fingerprint256``, ``fingerprint512``, ``ext_key_usage``,
    ``serialNumber``, ``raw``; EC keys add ``asn1Curve`` / ``nistCurve``, RSA keys
    ``modulus`` / ``exponent``."""
    if der is None:
        return {}
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    cert = x509.load_der_x509_certificate(der)
    info: dict[str, Any] = {
        "subject": _name_dict(cert.subject),
        "issuer": _name_dict(cert.issuer),
    }
    alt = _alt_names(cert)
    if alt is not None:
        info["subjectaltname"] = alt
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        info["ca"] = bool(basic.ca)
    except x509.ExtensionNotFound:
        info["ca"] = False
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        info["modulus"] = f"{numbers.n:X}"
        info["bits"] = key.key_size
        info["exponent"] = f"0x{numbers.e:x}"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        info["bits"] = key.curve.key_size
        curves = {
            "secp256r1": ("prime256v1", "P-256"),
            "secp384r1": ("secp384r1", "P-384"),
            "secp521r1": ("secp521r1", "P-521"),
        }
        asn1, nist = curves.get(key.curve.name, (key.curve.name, None))
        info["asn1Curve"] = asn1
        if nist:
            info["nistCurve"] = nist
    info["pubkey"] = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    info["valid_from"] = _node_time(cert.not_valid_before_utc)
    info["valid_to"] = _node_time(cert.not_valid_after_utc)
    info["fingerprint"] = _colon_hex(hashlib.sha1(der).digest())
    info["fingerprint256"] = _colon_hex(hashlib.sha256(der).digest())
    info["fingerprint512"] = _colon_hex(hashlib.sha512(der).digest())
    try:
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        info["ext_key_usage"] = [oid.dotted_string for oid in usage]
    except x509.ExtensionNotFound:
        pass
    serial = f"{cert.serial_number:X}"
    info["serialNumber"] = serial if len(serial) % 2 == 0 else "0" + serial
    info["raw"] = der
    if detailed:
        info["issuerCertificate"] = issuer_of(cert) if issuer_of is not None else info
    return info


# -- checkServerIdentity -------------------------------------------------------------------


def _split_host(host: str) -> list[str]:
    return host.rstrip(".").lower().split(".") if host.endswith(".") else host.lower().split(".")


def _matches(host_parts: list[str], pattern: str, wildcards: bool) -> bool:
    if not pattern:
        return False
    parts = _split_host(pattern)
    if len(host_parts) != len(parts) or "" in parts:
        return False
    if any(any(not ("\x21" <= ch <= "\x7f") for ch in part) for part in parts):
        return False
    for i in range(len(host_parts) - 1, 0, -1):
        if host_parts[i] != parts[i]:
            return False
    host_sub, pattern_sub = host_parts[0], parts[0]
    pieces = pattern_sub.split("*")
    if len(pieces) == 1 or "xn--" in pattern_sub:
        return host_sub == pattern_sub
    if not wildcards or len(pieces) > 2 or len(parts) <= 2:
        return False
    prefix, suffix = pieces
    return (
        len(prefix) + len(suffix) <= len(host_sub)
        and host_sub.startswith(prefix)
        and host_sub.endswith(suffix)
    )


def _canonical_ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def check_server_identity(hostname: str, cert: Mapping[str, Any]) -> TLSError | None:
    """Node's ``tls.checkServerIdentity(hostname, cert)``: None when *cert* (a
    ``getPeerCertificate()`` dict) is for *hostname*, else ``ERR_TLS_CERT_ALTNAME_INVALID``
    (with ``reason``, ``host``, ``cert``). IP hosts match ``IP Address`` names; other hosts
    match ``DNS`` names (a wildcard only as the whole or part of the leftmost label of a name
    with at least three labels), or the subject's CN when there is no DNS name."""
    host = str(hostname)
    if host.endswith("."):
        host = host[:-1]
    subject = cert.get("subject") or {}
    alt_names = cert.get("subjectaltname")
    dns_names: list[str] = []
    ips: list[str] = []
    if alt_names:
        for name in str(alt_names).split(", "):
            if name.startswith("DNS:"):
                dns_names.append(name[4:])
            elif name.startswith("IP Address:"):
                ips.append(_canonical_ip(name[11:]))
    valid = False
    reason = "Unknown reason"
    if isIP(host):
        valid = _canonical_ip(host) in ips
        if not valid:
            reason = f"IP: {host} is not in the cert's list: {', '.join(ips)}"
    elif dns_names or subject.get("CN"):
        host_parts = _split_host(host)
        if dns_names:
            valid = any(_matches(host_parts, name, True) for name in dns_names)
            if not valid:
                reason = f"Host: {host}. is not in the cert's altnames: {alt_names}"
        else:
            cn = subject.get("CN")
            names = cn if isinstance(cn, list) else [cn]
            valid = any(_matches(host_parts, str(name), True) for name in names)
            if not valid:
                reason = f"Host: {host}. is not cert's CN: {cn}"
    else:
        reason = "Cert does not contain a DNS name"
    if valid:
        return None
    return tls_error(
        "ERR_TLS_CERT_ALTNAME_INVALID",
        f"Hostname/IP does not match certificate's altnames: {reason}",
        reason=reason,
        host=host,
        cert=dict(cert),
    )
