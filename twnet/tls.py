"""Node's ``tls`` module over Twisted's TLS (:mod:`twisted.protocols.tls`, pyOpenSSL): install
with the extra ``twnet[tls]``.

``tls.connect(options[, cb])`` / ``tls.connect(port[, host][, options][, cb])`` opens a
:class:`TLSSocket` (a :class:`~twnet.Socket`); ``tls.createServer(options[,
secureConnectionListener])`` makes a :class:`Server` (a :class:`~twnet.Server`) whose accepted
sockets are :class:`TLSSocket`\\ s. Options as Node names them: ``key``, ``cert``, ``ca`` (PEM
``str``/``bytes`` or lists of them), ``passphrase``, ``rejectUnauthorized`` (default True),
``servername``, ``ALPNProtocols``, ``requestCert``, ``minVersion``, ``maxVersion``,
``checkServerIdentity``, and every ``net`` option.

Differences from Node: without ``ca`` twnet trusts OpenSSL's default store (the system's
certificates), where Node trusts its bundled Mozilla list; an OpenSSL error's message is
``library:function:reason`` (Node prints OpenSSL's whole error line, with its source file);
``'connection'`` on a :class:`Server` gives the :class:`TLSSocket` itself (Node gives the TCP
socket under it). Session resumption, ``SNICallback``, PSK, OCSP and renegotiation are not
provided.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from twnet import _runtime
from twnet._address import normalize_args
from twnet._errors import invalid_arg_type
from twnet._isip import isIP
from twnet._naming import module_twins
from twnet._naming import options as camel_options
from twnet._server import Server as _NetServer
from twnet._socket import Socket
from twnet._tls_context import (
    DEFAULT_MAX_VERSION,
    DEFAULT_MIN_VERSION,
    ClientCreator,
    ServerCreator,
    TLSOptions,
    tls_options,
)
from twnet._tls_protocol import TLSFactory
from twnet._tls_verify import (
    TLSError,
    conn_reset,
    peer_certificate,
    verify_code,
    verify_error,
)
from twnet._tls_verify import (
    check_server_identity as _check_identity,
)
from twnet._validators import is_function

__all__ = [
    "DEFAULT_MAX_VERSION",
    "DEFAULT_MIN_VERSION",
    "Server",
    "TLSError",
    "TLSSocket",
    "checkServerIdentity",
    "connect",
    "createServer",
    "getCiphers",
]

_CLIENT_LOST = "Client network socket disconnected before secure TLS connection was established"


def checkServerIdentity(hostname: str, cert: Mapping[str, Any]) -> TLSError | None:
    """Node's ``tls.checkServerIdentity``: None when *cert* (a ``getPeerCertificate()`` dict)
    names *hostname*, else the ``ERR_TLS_CERT_ALTNAME_INVALID`` error (returned, not raised)."""
    return _check_identity(hostname, cert)


class TLSSocket(Socket):
    """Node's ``tls.TLSSocket``: a :class:`~twnet.Socket` over TLS.

    Events beyond a socket's: ``'secureConnect'`` (a client's handshake is done and the
    server's certificate accepted). Properties: ``encrypted`` (True), ``authorized``,
    ``authorizationError`` (Node's code, e.g. ``'DEPTH_ZERO_SELF_SIGNED_CERT'``,
    ``'ERR_TLS_CERT_ALTNAME_INVALID'``), ``alpnProtocol`` (the negotiated name, or False),
    ``servername`` (the SNI name; a server's is False when the client sent none). Methods:
    :meth:`getPeerCertificate`, :meth:`getCertificate`, :meth:`getProtocol`,
    :meth:`getCipher`, :meth:`isSessionReused`, and (as every twnet socket)
    ``getTransport()`` for the Twisted ``ISSLTransport`` under it.

    ``end()`` sends TLS's close_notify and then half-closes; the peer's close_notify (or
    FIN) is ``'end'``. ``destroy()`` closes without close_notify, as Node's does.
    """

    encrypted = True

    def __init__(
        self,
        socket: Any = None,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        reactor: Any = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(socket, Mapping) and options is None:
            socket, options = None, socket  # an accepted socket: net.Server gives options
        if socket is not None:
            raise invalid_arg_type(
                "socket", "undefined (wrapping an existing socket is not provided)", socket
            )
        opts = camel_options(options if isinstance(options, Mapping) else None, **kwargs)
        net_opts = {k: v for k, v in opts.items() if k in _NET_SOCKET_OPTIONS}
        super().__init__(net_opts, reactor=reactor)
        self._tls: TLSOptions | None = None
        self._tls_checker: Callable[..., Any] = checkServerIdentity
        self._tls_host = "localhost"
        self._tls_connection: Any = None
        self._tls_transport: Any = None
        self._secure_established = False
        self.authorized = False
        self.authorizationError: str | None = None
        self.alpnProtocol: str | bool | None = None
        self.servername: str | bool | None = None

    # -- connecting (client) -----------------------------------------------------------

    def _prepare_client(self, opts: dict[str, Any]) -> None:
        self._tls = tls_options(opts, server=False)
        checker = opts.get("checkServerIdentity")
        if checker is not None:
            if not is_function(checker):
                raise invalid_arg_type("options.checkServerIdentity", "function", checker)
            self._tls_checker = checker
        host = opts.get("host") or "localhost"
        self._tls_host = self._tls.servername or str(host)
        sni = self._tls.servername
        if sni is None and not isIP(str(host)):
            sni = str(host)
        self.servername = sni if sni else None
        self._tls_creator = ClientCreator(self._tls, sni or None)

    def _wrap_client_factory(self, factory: Any) -> Any:
        creator = getattr(self, "_tls_creator", None)
        if creator is None:
            return factory
        return TLSFactory(creator, True, factory, clock=self._reactor)

    # -- what the TLS layer reports -----------------------------------------------------

    def _tls_handshake_done(self, transport: Any) -> None:
        _runtime.dispatch(self._on_secure, transport)

    def _tls_lost_in_handshake(self) -> BaseException:
        if self._server is not None or getattr(self, "server", None) is not None:
            return conn_reset("socket hang up")
        return conn_reset(_CLIENT_LOST)

    def _tls_error(self, error: BaseException) -> None:
        _runtime.dispatch(self.emit, "error", error)

    def _on_secure(self, transport: Any) -> None:
        if self.destroyed:
            return
        self._tls_transport = transport
        connection = self._tls_connection = transport.getHandle()
        verdict = connection.get_app_data()
        negotiated = connection.get_alpn_proto_negotiated()
        self.alpnProtocol = negotiated.decode("latin-1") if negotiated else False
        server = self._server or getattr(self, "server", None)
        if server is not None and isinstance(server, Server):
            self._on_server_secure(server, connection, verdict)
        else:
            self._on_client_secure(verdict)

    def _on_client_secure(self, verdict: Any) -> None:
        error: BaseException | None = None
        result = getattr(verdict, "verify_result", 0)
        if result:
            error = verify_error(result)
        else:
            cert = self.getPeerCertificate()
            checked = self._tls_checker(self._tls_host, cert) if cert else None
            if isinstance(checked, BaseException):
                error = checked
        if error is not None:
            self.authorized = False
            self.authorizationError = getattr(error, "code", None) or str(error)
            if self._tls is None or self._tls.reject_unauthorized:
                self.destroy(error)
                return
        else:
            self.authorized = True
        self._secure_established = True
        self.emit("secureConnect")

    def _on_server_secure(self, server: Server, connection: Any, verdict: Any) -> None:
        name = connection.get_servername()
        self.servername = name.decode("latin-1") if name else False
        options = server._tls
        if options.request_cert:
            result = getattr(verdict, "verify_result", 0)
            if connection.get_peer_certificate() is None:
                self.authorizationError = "UNABLE_TO_GET_ISSUER_CERT"
            elif result:
                self.authorizationError = verify_code(result)
            self.authorized = self.authorizationError is None
            if not self.authorized and options.reject_unauthorized:
                self.destroy()  # Node: no error; the server hears 'tlsClientError'
                return
        self._secure_established = True
        server.emit("secureConnection", self)

    def emit(self, event: Hashable, *args: Any) -> bool:
        """As a socket's; an accepted socket's error before its handshake is done goes to
        the server's ``'tlsClientError'`` (Node), not to the socket."""
        if event == "error" and not self._secure_established:
            server = getattr(self, "server", None)
            if isinstance(server, Server):
                return server.emit("tlsClientError", args[0] if args else None, self)
        return super().emit(event, *args)

    def _destroy(self, error: BaseException | None, callback: Any) -> None:
        server = getattr(self, "server", None)
        if (
            error is None
            and not self._secure_established
            and isinstance(server, Server)
            and self._handle is not None
        ):
            _runtime.next_tick(server.emit, "tlsClientError", conn_reset("socket hang up"), self)
        super()._destroy(error, callback)

    # -- Node's TLSSocket methods ------------------------------------------------------

    def getPeerCertificate(self, detailed: bool = False) -> dict[str, Any] | None:
        """The peer's certificate as Node's dict (``subject``, ``issuer``,
        ``subjectaltname``, ``valid_from``, ``valid_to``, ``fingerprint256``,
        ``serialNumber``, ``raw``...); ``{}`` when the peer sent none, None before the
        handshake. *detailed* adds ``issuerCertificate`` along the peer's chain."""
        connection = self._tls_connection
        if connection is None:
            return None
        cert = connection.get_peer_certificate(as_cryptography=True)
        if cert is None:
            return {}
        from cryptography.hazmat.primitives.serialization import Encoding

        info = peer_certificate(cert.public_bytes(Encoding.DER))
        if detailed:
            chain = connection.get_peer_cert_chain(as_cryptography=True) or []
            current = info
            for issuer in chain[1:]:
                nxt = peer_certificate(issuer.public_bytes(Encoding.DER))
                current["issuerCertificate"] = nxt
                current = nxt
            current.setdefault("issuerCertificate", current)
        return info

    def getCertificate(self) -> dict[str, Any] | None:
        """The local certificate as Node's dict, or None (``{}`` when there is none)."""
        connection = self._tls_connection
        if connection is None:
            return None
        cert = connection.get_certificate(as_cryptography=True)
        if cert is None:
            return {}
        from cryptography.hazmat.primitives.serialization import Encoding

        return peer_certificate(cert.public_bytes(Encoding.DER))

    def getProtocol(self) -> str | None:
        """The negotiated version (``'TLSv1.3'``, ``'TLSv1.2'``...), None before it."""
        connection = self._tls_connection
        return None if connection is None else connection.get_protocol_version_name()

    def getCipher(self) -> dict[str, str] | None:
        """``{'name', 'standardName', 'version'}`` of the negotiated cipher, None before."""
        connection = self._tls_connection
        if connection is None:
            return None
        name = connection.get_cipher_name() or ""
        return {
            "name": name,
            "standardName": _standard_name(connection) or name,
            "version": connection.get_cipher_version() or "",
        }

    def isSessionReused(self) -> bool:
        """Whether the handshake resumed a session: always False (twnet's clients offer no
        session to resume)."""
        return False

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        get_certificate = getCertificate
        get_cipher = getCipher
        get_peer_certificate = getPeerCertificate
        get_protocol = getProtocol
        is_session_reused = isSessionReused


def _standard_name(connection: Any) -> str | None:
    try:  # pyOpenSSL has no public accessor for the IETF name
        from OpenSSL._util import ffi, lib

        cipher = lib.SSL_get_current_cipher(connection._ssl)
        if cipher == ffi.NULL:
            return None
        return str(ffi.string(lib.SSL_CIPHER_standard_name(cipher)).decode())
    except Exception:
        return None


#: The options a TLSSocket passes on to net.Socket (the rest are TLS's or connect's).
_NET_SOCKET_OPTIONS = frozenset(
    {
        "allowHalfOpen",
        "readable",
        "writable",
        "highWaterMark",
        "signal",
        "onread",
        "noDelay",
        "keepAlive",
        "keepAliveInitialDelay",
        "timeout",
        "blockList",
        "typeOfService",
        "pauseOnCreate",
        "encoding",
    }
)


class Server(_NetServer):
    """Node's ``tls.Server``: a :class:`~twnet.Server` whose connections are
    :class:`TLSSocket`\\ s. Events beyond a server's: ``'secureConnection'`` (the socket, once
    its handshake is done and, with ``requestCert`` and ``rejectUnauthorized``, the client's
    certificate accepted), ``'tlsClientError'`` (``(error, socket)``: a connection that failed
    before that)."""

    _socket_class = TLSSocket

    def __init__(
        self,
        options: Mapping[str, Any] | Callable[..., Any] | None = None,
        secureConnectionListener: Callable[..., Any] | None = None,
        /,
        *,
        reactor: Any = None,
        **kwargs: Any,
    ) -> None:
        if is_function(options):
            secureConnectionListener, options = options, None
        opts = camel_options(options if isinstance(options, Mapping) else None, **kwargs)
        self._tls = tls_options(opts, server=True)
        net_opts = {k: v for k, v in opts.items() if k in _NET_SERVER_OPTIONS}
        super().__init__(net_opts, reactor=reactor)
        if is_function(secureConnectionListener):
            self.on("secureConnection", secureConnectionListener)
        self._factory = TLSFactory(  # type: ignore[assignment]  # what endpoints listen with
            ServerCreator(self._tls), False, self._factory, clock=self._reactor
        )


_NET_SERVER_OPTIONS = frozenset(
    {
        "allowHalfOpen",
        "pauseOnConnect",
        "noDelay",
        "keepAlive",
        "keepAliveInitialDelay",
        "highWaterMark",
        "blockList",
    }
)


def createServer(
    options: Mapping[str, Any] | Callable[..., Any] | None = None,
    secureConnectionListener: Callable[..., Any] | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Server:
    """Node's ``tls.createServer(options[, secureConnectionListener])``."""
    return Server(options, secureConnectionListener, reactor=reactor, **kwargs)


def connect(*args: Any, reactor: Any = None, **kwargs: Any) -> TLSSocket:
    """Node's ``tls.connect(options[, cb])`` or ``tls.connect(port[, host][, options][,
    cb])``: a :class:`TLSSocket` connecting; ``cb`` becomes a ``'secureConnect'`` listener."""
    cb = args[-1] if args and is_function(args[-1]) else None
    rest = args[:-1] if cb is not None else args
    options: dict[str, Any] = {}
    if rest and not isinstance(rest[0], Mapping):
        base, _ = normalize_args(
            rest[:2] if len(rest) > 1 and isinstance(rest[1], str) else rest[:1]
        )
        extra = next((a for a in rest[1:] if isinstance(a, Mapping)), None)
        options = {**camel_options(extra), **base}
    elif rest:
        options = camel_options(rest[0])
    options.update(camel_options(None, **kwargs))
    socket = TLSSocket(None, options, reactor=reactor)
    socket._prepare_client(options)
    if cb is not None:
        socket.once("secureConnect", cb)
    connect_options = {k: v for k, v in options.items() if k not in _TLS_ONLY}
    socket.connect(connect_options)
    return socket


_TLS_ONLY = frozenset(
    {
        "key",
        "cert",
        "ca",
        "passphrase",
        "rejectUnauthorized",
        "servername",
        "ALPNProtocols",
        "requestCert",
        "minVersion",
        "maxVersion",
        "checkServerIdentity",
        "socket",
    }
)


def getCiphers() -> list[str]:
    """Node's ``tls.getCiphers()``: the names of the ciphers OpenSSL supports, lower case."""
    from OpenSSL import SSL

    connection = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    return sorted({name.lower() for name in connection.get_cipher_list()})


__all__ += module_twins(globals(), ["checkServerIdentity", "createServer", "getCiphers"])

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    check_server_identity = checkServerIdentity
    create_server = createServer
    get_ciphers = getCiphers
    __all__ += [
        "check_server_identity",
        "create_server",
        "get_ciphers",
    ]
