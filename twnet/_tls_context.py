"""Node's TLS options as pyOpenSSL contexts: what ``tls.createSecureContext`` and the
``tls.connect`` / ``tls.createServer`` options decide, made into an :class:`OpenSSL.SSL.Context`
and a Twisted connection creator (``IOpenSSLClientConnectionCreator`` /
``IOpenSSLServerConnectionCreator``) for :class:`twisted.protocols.tls.TLSMemoryBIOFactory`.

Verification is Node's: OpenSSL is told to ask for the peer's certificate and to go on
whatever it finds (the verify callback records OpenSSL's verdict and returns True); once the
handshake is done the socket reads the verdict (``authorized``, ``authorizationError``) and
decides, with ``rejectUnauthorized``, whether to go on, exactly where Node decides. The only
failure OpenSSL makes itself is Node's too: a server with ``requestCert`` and
``rejectUnauthorized`` fails the handshake of a client that sends no certificate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zope.interface import implementer

from twnet._errors import NodeError, invalid_arg_type, make_error, tls_error

__all__ = ["ClientCreator", "ServerCreator", "TLSOptions", "tls_options"]

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from OpenSSL import SSL, crypto
    from twisted.internet.interfaces import (
        IOpenSSLClientConnectionCreator,
        IOpenSSLServerConnectionCreator,
    )
except ImportError as error:  # pragma: no cover - the extra is not installed
    raise ImportError(
        "twnet.tls needs pyOpenSSL and service_identity: pip install 'twnet[tls]'"
    ) from error

#: Node's version names -> OpenSSL's.
VERSIONS = {
    "TLSv1": SSL.TLS1_VERSION,
    "TLSv1.1": SSL.TLS1_1_VERSION,
    "TLSv1.2": SSL.TLS1_2_VERSION,
    "TLSv1.3": SSL.TLS1_3_VERSION,
}
DEFAULT_MIN_VERSION = "TLSv1.2"
DEFAULT_MAX_VERSION = "TLSv1.3"

_PEM_CERT = b"-----BEGIN CERTIFICATE-----"
_BAD_DECRYPT = "error:1C800064:Provider routines::bad decrypt"


class TLSOptions:
    """The TLS options of one socket or server, checked as Node checks them."""

    __slots__ = (
        "alpn",
        "ca",
        "certs",
        "key",
        "max_version",
        "min_version",
        "reject_unauthorized",
        "request_cert",
        "servername",
    )

    def __init__(self) -> None:
        self.key: Any = None
        self.certs: list[x509.Certificate] = []
        self.ca: list[x509.Certificate] | None = None
        self.alpn: list[bytes] | None = None
        self.min_version = DEFAULT_MIN_VERSION
        self.max_version = DEFAULT_MAX_VERSION
        self.reject_unauthorized = True
        self.request_cert = False
        self.servername: str | None = None


def _pem_items(value: Any, name: str) -> list[bytes]:
    """A PEM option (``str``, ``bytes``, or a list of them) as a list of bytes."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[bytes] = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            out.append(item.encode("latin-1", "replace"))
        elif isinstance(item, (bytes, bytearray, memoryview)):
            out.append(bytes(item))
        else:
            label = f"{name}[{index}]" if isinstance(value, (list, tuple)) else name
            raise invalid_arg_type(
                label, ["string", "an instance of Buffer", "TypedArray", "DataView"], item
            )
    return out


def _openssl_error(error: Exception) -> NodeError:
    reasons = error.args[0] if error.args else []
    library, reason = "DECODER routines", "unsupported"
    if isinstance(reasons, list) and reasons and isinstance(reasons[-1], tuple):
        library, reason = str(reasons[-1][0]), str(reasons[-1][2])
    prefix = "ERR_SSL_" if library == "SSL routines" else "ERR_OSSL_"
    code = prefix + reason.upper().replace(" ", "_")
    return tls_error(code, f"{library}::{reason}", library=library, reason=reason)


def _load_certs(value: Any, name: str) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for pem in _pem_items(value, name):
        if _PEM_CERT not in pem:
            raise tls_error(
                "ERR_OSSL_PEM_NO_START_LINE", "error:0480006C:PEM routines::no start line"
            )
        certs.extend(x509.load_pem_x509_certificates(pem))
    return certs


def _load_key(value: Any, passphrase: Any) -> Any:
    pem = _pem_items(value, "options.key")[0]
    password = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        return serialization.load_pem_private_key(pem, password=password or None)
    except TypeError:
        # Encrypted without a passphrase, or a passphrase for an unencrypted key.
        if password:
            return serialization.load_pem_private_key(pem, password=None)
        raise tls_error("ERR_OSSL_BAD_DECRYPT", _BAD_DECRYPT) from None
    except ValueError:
        if b"ENCRYPTED" in pem:
            raise tls_error("ERR_OSSL_BAD_DECRYPT", _BAD_DECRYPT) from None
        raise tls_error(
            "ERR_OSSL_UNSUPPORTED", "error:1E08010C:DECODER routines::unsupported"
        ) from None


def _version(value: Any, which: str) -> str:
    if value is None:
        return DEFAULT_MIN_VERSION if which == "minimum" else DEFAULT_MAX_VERSION
    if not isinstance(value, str):
        raise invalid_arg_type(f"options.{which[:3]}Version", "string", value)
    if value not in VERSIONS:
        raise tls_error(
            "ERR_TLS_INVALID_PROTOCOL_VERSION",
            f"{value!r} is not a valid {which} TLS protocol version",
        )
    return value


def _alpn(value: Any) -> list[bytes] | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        # Node's wire format: length-prefixed names.
        raw, names = bytes(value), []
        while raw:
            names.append(raw[1 : raw[0] + 1])
            raw = raw[raw[0] + 1 :]
        return names
    if not isinstance(value, (list, tuple)):
        raise invalid_arg_type("options.ALPNProtocols", ["Array", "an instance of Buffer"], value)
    names = []
    for item in value:
        name = item.encode() if isinstance(item, str) else bytes(item)
        if not 0 < len(name) < 256:
            raise make_error(
                "ERR_OUT_OF_RANGE", "The byte length of the protocol", "<= 255", len(name)
            )
        names.append(name)
    return names


def tls_options(opts: dict[str, Any], *, server: bool) -> TLSOptions:
    """Check Node's TLS options in *opts* and load their certificates and key (errors are
    raised at once, as ``tls.connect`` / ``tls.createServer`` throw them)."""
    made = TLSOptions()
    if opts.get("key") is not None:
        made.key = _load_key(opts["key"], opts.get("passphrase"))
    if opts.get("cert") is not None:
        made.certs = _load_certs(opts["cert"], "options.cert")
    if opts.get("ca") is not None:
        made.ca = _load_certs(opts["ca"], "options.ca")
    made.alpn = _alpn(opts.get("ALPNProtocols"))
    made.min_version = _version(opts.get("minVersion"), "minimum")
    made.max_version = _version(opts.get("maxVersion"), "maximum")
    reject = opts.get("rejectUnauthorized")
    made.reject_unauthorized = reject is None or bool(reject)  # Node: `!== false`
    if reject is False:
        made.reject_unauthorized = False
    made.request_cert = bool(opts.get("requestCert"))
    servername = opts.get("servername")
    if servername is not None and not isinstance(servername, str):
        raise invalid_arg_type("options.servername", "string", servername)
    made.servername = servername
    if server and (made.key is None) != (not made.certs):
        pass  # Node accepts either alone at construction and fails each handshake
    return made


def _context(options: TLSOptions, method: int) -> SSL.Context:
    context = SSL.Context(method)
    context.set_min_proto_version(VERSIONS[options.min_version])
    context.set_max_proto_version(VERSIONS[options.max_version])
    try:
        if options.certs:
            context.use_certificate(options.certs[0])
            for extra in options.certs[1:]:
                context.add_extra_chain_cert(extra)
        if options.key is not None:
            context.use_privatekey(options.key)
        if options.certs and options.key is not None:
            context.check_privatekey()
    except SSL.Error as error:
        raise _openssl_error(error) from None
    if options.ca is not None:
        store = context.get_cert_store()
        assert store is not None
        for cert in options.ca:
            store.add_cert(crypto.X509.from_cryptography(cert))
    else:
        # Node trusts its bundled Mozilla roots; twnet trusts OpenSSL's default store.
        context.set_default_verify_paths()
    return context


def _record(connection: SSL.Connection, cert: Any, number: int, depth: int, ok: int) -> bool:
    """OpenSSL's verify callback: keep its verdict, go on (Node decides after the handshake)."""
    if not ok and number:
        state = connection.get_app_data()
        if state is not None:
            state.verify_result = number
    return True


class _Verdict:
    """Set as each connection's app data (Twisted sets its own otherwise)."""

    __slots__ = ("protocol", "verify_result")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.verify_result = 0


@implementer(IOpenSSLClientConnectionCreator)
class ClientCreator:
    """Makes each client connection: SNI, ALPN, verification recorded for the socket."""

    def __init__(self, options: TLSOptions, servername: str | None) -> None:
        self.options = options
        self.servername = servername
        self.context = _context(options, SSL.TLS_CLIENT_METHOD)
        self.context.set_verify(SSL.VERIFY_PEER, _record)
        if options.alpn:
            self.context.set_alpn_protos(options.alpn)

    def clientConnectionForTLS(self, tlsProtocol: Any) -> SSL.Connection:
        connection = SSL.Connection(self.context, None)
        connection.set_app_data(_Verdict(tlsProtocol))
        if self.servername:
            connection.set_tlsext_host_name(self.servername.encode("idna"))
        connection.set_connect_state()
        return connection


class NoApplicationProtocol(Exception):
    """Raised in the ALPN callback: no protocol in common (Node's fatal alert)."""


@implementer(IOpenSSLServerConnectionCreator)
class ServerCreator:
    """Makes each accepted connection: certificate and key, client certificates, ALPN."""

    def __init__(self, options: TLSOptions) -> None:
        self.options = options
        self.context = _context(options, SSL.TLS_SERVER_METHOD)
        self.context.set_session_id(b"twnet")
        if options.request_cert:
            mode = SSL.VERIFY_PEER
            if options.reject_unauthorized:
                mode |= SSL.VERIFY_FAIL_IF_NO_PEER_CERT
            self.context.set_verify(mode, _record)
            for cert in options.ca or ():
                self.context.add_client_ca(crypto.X509.from_cryptography(cert))
        else:
            self.context.set_verify(SSL.VERIFY_NONE, _record)
        if options.alpn:
            self.context.set_alpn_select_callback(self._select)

    def _select(self, connection: SSL.Connection, offered: Sequence[bytes]) -> bytes:
        # Node (SSL_select_next_proto): the server's first protocol the client offers.
        for name in self.options.alpn or ():
            if name in offered:
                return name
        raise NoApplicationProtocol()

    def serverConnectionForTLS(self, tlsProtocol: Any) -> SSL.Connection:
        connection = SSL.Connection(self.context, None)
        connection.set_app_data(_Verdict(tlsProtocol))
        connection.set_accept_state()
        return connection
