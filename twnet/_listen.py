"""How a Server gets a listening port: Node's listen arguments -> a Twisted server endpoint.

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
from typing import Any

from twisted.internet import endpoints, unix
from twisted.internet.defer import fail, succeed
from twisted.internet.error import CannotListenError
from twisted.internet.interfaces import IStreamServerEndpoint

from twnet._validators import is_integer

__all__ = ["UNIX_PATH_MAX", "endpoint_for", "has_ipv6", "is_server_endpoint"]

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
