"""How a Server listens and accepts, the Twisted side: a listen request -> a Twisted server
endpoint -> a listening port (:class:`Listener`), and the factory that hands each accepted
connection to the Server.

TCP listens through ``TCP4ServerEndpoint`` / ``TCP6ServerEndpoint`` (Node's default host is
``::``, dual-stack, falling back to ``0.0.0.0`` without IPv6), UNIX paths through
``UNIXServerEndpoint``, descriptors through ``AdoptedStreamServerEndpoint``; any
``IStreamServerEndpoint`` the user passes is used as it is. ``ipv6Only`` and ``reusePort``
need socket options Twisted does not set, so twnet binds that socket itself and adopts it.
"""

from __future__ import annotations

import errno
import os
import socket as _pysocket
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from twisted.internet import endpoints, unix
from twisted.internet.defer import Deferred, fail, succeed
from twisted.internet.error import CannotListenError
from twisted.internet.interfaces import IStreamServerEndpoint
from twisted.internet.protocol import Factory
from twisted.python.failure import Failure

from twnet import _runtime
from twnet._address import AddressInfo
from twnet._errors import NodeSystemError, system_error
from twnet._failures import translate
from twnet._tcp_handle import TCPHandle, address_info
from twnet._validators import is_integer

__all__ = [
    "UNIX_PATH_MAX",
    "AcceptFactory",
    "AcceptOwner",
    "ListenFailure",
    "Listener",
    "address_info",
    "close_waiter",
    "endpoint_for",
    "has_ipv6",
    "is_server_endpoint",
    "open_port",
]

#: ``sizeof(sockaddr_un.sun_path)`` on Linux; a longer path cannot be bound.
UNIX_PATH_MAX = 108

_ipv6: bool | None = None


def has_ipv6() -> bool:
    """Whether this machine can bind the unspecified IPv6 address."""
    global _ipv6
    if _ipv6 is None:
        try:
            with _pysocket.socket(_pysocket.AF_INET6, _pysocket.SOCK_STREAM) as probe:
                probe.bind(("::", 0))
            _ipv6 = True
        except OSError:
            _ipv6 = False
    return _ipv6


def is_server_endpoint(value: object) -> bool:
    """Whether *value* is a Twisted ``IStreamServerEndpoint``."""
    return IStreamServerEndpoint.providedBy(value)


def endpoint_for(
    reactor: Any,
    *,
    host: str | None = None,
    port: int | None = None,
    path: str | bytes | None = None,
    fd: float | None = None,
    backlog: int = 511,
    ipv6_only: bool = False,
    reuse_port: bool = False,
    readable_all: bool = False,
    writable_all: bool = False,
) -> Any:
    """The server endpoint for one listen request (exactly one of port, path, fd)."""
    if path is not None:
        # Twisted chmods the socket file to ``mode``. Node leaves bind()'s own mode
        # (0777 & ~umask), unless readableAll / writableAll ask libuv's uv_pipe_chmod for
        # exactly r--r--r--, -w--w--w- or rw-rw-rw-.
        mode = (0o444 if readable_all else 0) | (0o222 if writable_all else 0)
        return endpoints.UNIXServerEndpoint(
            reactor, path, backlog=backlog, mode=mode or 0o777 & ~_umask(), wantPID=False
        )
    if fd is not None:
        return _AdoptedEndpoint(reactor, fd, backlog)
    assert host is not None and port is not None
    if ipv6_only or reuse_port:
        return _BoundSocketEndpoint(reactor, host, port, backlog, ipv6_only, reuse_port)
    if ":" in host:
        return endpoints.TCP6ServerEndpoint(reactor, port, backlog=backlog, interface=host)
    return endpoints.TCP4ServerEndpoint(reactor, port, backlog=backlog, interface=host)


def _umask() -> int:
    """The process's umask (read from /proc where possible: setting it is process-wide)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _AdoptedEndpoint:
    """Listens on a descriptor the caller owns (``listen({'fd': n})``, ``listen(server)``).

    The descriptor is duplicated and the caller keeps (and closes) its own. As in Node it is
    made non-blocking and ``listen(backlog)`` is called again. A UNIX socket adopted this way
    is never chmod'ed nor unlinked on close: twnet did not create its file. A number that is
    no descriptor of a stream socket (not an int32, closed, a file, a UDP socket) fails with
    EINVAL, as Node's ``createHandle`` refusing it does.
    """

    def __init__(self, reactor: Any, fd: float, backlog: int) -> None:
        self.reactor, self.fd, self.backlog = reactor, fd, backlog

    def listen(self, factory: Any) -> Any:
        invalid = CannotListenError(None, None, OSError(errno.EINVAL, os.strerror(errno.EINVAL)))
        fd = self.fd
        if not is_integer(fd) or not 0 <= fd < 2**31:
            return fail(invalid)
        try:
            copy = os.dup(int(fd))
        except OSError:
            return fail(invalid)
        try:
            sock = _pysocket.socket(fileno=copy)
        except OSError:
            os.close(copy)
            return fail(invalid)
        if sock.type != _pysocket.SOCK_STREAM:
            sock.close()
            return fail(invalid)
        try:
            sock.setblocking(False)
            sock.listen(self.backlog)
            if sock.family == _pysocket.AF_UNIX:
                port: Any = _BorrowedUNIXPort._fromListeningDescriptor(  # type: ignore[no-untyped-call]
                    self.reactor, sock.fileno(), factory
                )
                port.startListening()
            else:
                port = self.reactor.adoptStreamPort(sock.fileno(), sock.family, factory)
        except OSError as error:
            return fail(CannotListenError(None, None, error))
        finally:
            sock.close()
        return succeed(port)


class _BorrowedUNIXPort(unix.Port):
    """A UNIX listening port over a socket twnet did not bind: Twisted's Port chmods its
    path when it starts and unlinks it when it stops, when the path is in the filesystem
    namespace; a borrowed socket's path is hidden from both."""

    def startListening(self) -> None:
        self._bindPath = b"\0"
        super().startListening()  # type: ignore[no-untyped-call]


class _BoundSocketEndpoint:
    """Binds and listens with the options Twisted does not set (``IPV6_V6ONLY``,
    ``SO_REUSEPORT``), then hands the socket to ``adoptStreamPort``."""

    def __init__(
        self, reactor: Any, host: str, port: int, backlog: int, v6only: bool, reuse_port: bool
    ) -> None:
        self.reactor = reactor
        self.host, self.port, self.backlog = host, port, backlog
        self.v6only, self.reuse_port = v6only, reuse_port

    def listen(self, factory: Any) -> Any:
        family = _pysocket.AF_INET6 if ":" in self.host else _pysocket.AF_INET
        sock = _pysocket.socket(family, _pysocket.SOCK_STREAM)
        try:
            sock.setsockopt(_pysocket.SOL_SOCKET, _pysocket.SO_REUSEADDR, 1)
            if self.reuse_port and hasattr(_pysocket, "SO_REUSEPORT"):
                sock.setsockopt(_pysocket.SOL_SOCKET, _pysocket.SO_REUSEPORT, 1)
            if family == _pysocket.AF_INET6:
                sock.setsockopt(_pysocket.IPPROTO_IPV6, _pysocket.IPV6_V6ONLY, int(self.v6only))
            sock.bind((self.host, self.port))
            sock.listen(self.backlog)
            sock.setblocking(False)
            port = self.reactor.adoptStreamPort(sock.fileno(), family, factory)
        except OSError as error:
            return fail(CannotListenError(self.host, self.port, error))
        finally:
            sock.close()
        return succeed(port)


# -- listening ------------------------------------------------------------------------------


class Listener:
    """A listening port (Twisted's ``IListeningPort``), as the Server uses it."""

    __slots__ = ("port",)

    def __init__(self, port: Any) -> None:
        #: The Twisted port.
        self.port = port

    def fileno(self) -> int:
        """The listening descriptor."""
        return int(self.port.fileno())

    def ip_address(self) -> AddressInfo | None:
        """The bound IP address (None for a UNIX or other port)."""
        get_host = getattr(self.port, "getHost", None)
        return address_info(get_host()) if get_host is not None else None

    def address(self) -> AddressInfo | str | None:
        """The bound IP address, else a UNIX socket's path, else None."""
        host = self.port.getHost()
        info = address_info(host)
        if info is not None:
            return info
        name = getattr(host, "name", None)
        return os.fsdecode(name) if name is not None else None

    def close(self, closed: Callable[[], None]) -> bool:
        """Stop listening. True when the port closes later (*closed* is then called once it
        has), False when it is closed already."""
        stopped = self.port.stopListening()
        if not isinstance(stopped, Deferred):
            return False
        stopped.addBoth(lambda _: _runtime.dispatch(closed))
        return True


class ListenFailure:
    """Why listening failed, as Node's error on request."""

    __slots__ = ("_failure",)

    def __init__(self, failure: Failure) -> None:
        self._failure = failure

    def error(self, host: str | None, port: int | None) -> BaseException:
        """Node's listen error: ``listen EADDRINUSE: address already in use 127.0.0.1:8124``;
        the port appears in the message only when it is above 0, a UNIX path's is -1."""
        shown = port if port is not None and port > 0 else None
        error = translate(self._failure, "listen", host, shown, default="EADDRINUSE", detailed=True)
        if port == -1 and isinstance(error, NodeSystemError):
            if error.code == "ENOENT":
                # libuv reports a UNIX path in a missing directory as EACCES (uv_pipe_bind).
                return system_error("EACCES", "listen", host, -1, detailed=True)
            error.port = -1
        return error


def open_port(
    endpoint: Any,
    factory: Any,
    opened: Callable[[Listener, bool], None],
    failed: Callable[[ListenFailure, bool], None],
) -> None:
    """Listen through *endpoint*: ``opened(listener, synchronous)`` or ``failed(failure,
    synchronous)``, *synchronous* when the endpoint answered inside this call."""
    starting = True

    def ok(port: Any) -> None:
        opened(Listener(port), starting)

    def bad(failure: Failure) -> None:
        failed(ListenFailure(failure), starting)

    deferred: Deferred[Any] = endpoint.listen(factory)
    deferred.addCallbacks(ok, bad)
    starting = False


def close_waiter() -> tuple[Awaitable[Any], Callable[..., None]]:
    """Something to ``await`` and the callback that ends the wait (called with anything)."""
    waiting: Deferred[None] = Deferred()
    return waiting, lambda *_: waiting.callback(None)


# -- accepting ------------------------------------------------------------------------------


class AcceptOwner(Protocol):
    """What the accept factory reports to: the Server."""

    def _accept(self, peer: AddressInfo | None) -> Any:
        """A connection from *peer* (None: not an IP peer) arrived: the Socket that takes it,
        or None to close it at once."""
        ...

    def _on_connection(self, socket: Any) -> None:
        """The accepted *socket* is connected."""
        ...


class AcceptFactory(Factory):
    """Builds each accepted connection's protocol for the socket the server makes for it,
    or refuses it (``None`` closes it at once: ``maxConnections``, ``blockList``)."""

    noisy = False

    def __init__(self, server: AcceptOwner) -> None:
        self.server = server

    # The protocol provides IProtocol without Twisted's `factory` attribute (typed into
    # Factory.buildProtocol's result): nothing reads it for protocols built here.
    def buildProtocol(self, addr: Any) -> TCPHandle | None:  # type: ignore[override]
        socket = _runtime.dispatch(self.server._accept, address_info(addr))
        if socket is None:
            return None
        return _AcceptedHandle(socket, self.server)


class _AcceptedHandle(TCPHandle):
    """A server-side connection's handle: tells the server once connected."""

    __slots__ = ("server_ref",)

    def __init__(self, socket: Any, server: AcceptOwner) -> None:
        super().__init__(socket)
        self.server_ref = server

    def _connected(self) -> None:
        super()._connected()
        self.server_ref._on_connection(self.owner)
