"""How a client Socket reaches its peer: name resolution, ``autoSelectFamily`` attempts and
Twisted client endpoints.

Host names are resolved without blocking through the reactor's ``IHostnameResolver``
(``reactor.nameResolver``) or a Node-style ``lookup(host, options, callback)`` function,
so that ``'lookup'`` can be emitted and ``family`` honoured; the socket then connects to the
address chosen through a TCP4/TCP6/UNIX client endpoint, or through any
``IStreamClientEndpoint`` the user passed.
"""

from __future__ import annotations

import socket as _pysocket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twisted.internet import endpoints
from twisted.internet.defer import CancelledError, Deferred, fail
from twisted.internet.error import ConnectBindError, ConnectingCancelledError
from twisted.internet.interfaces import IDelayedCall
from twisted.internet.protocol import Factory
from twisted.python.failure import Failure

from twnet import _dns, _runtime
from twnet._blocklist import is_blocked
from twnet._encoding import encode
from twnet._errors import NodeSystemError, aggregate_error, make_error, system_error
from twnet._failures import translate
from twnet._isip import isIP
from twnet._tcp_handle import TCPHandle
from twnet._validators import is_integer, is_number

if TYPE_CHECKING:
    from twnet._socket import Socket

__all__ = ["Defaults", "connect_endpoint", "connect_path", "lookup_and_connect"]


#: The size of ``sun_path`` (Linux): libuv's connect takes a path that fills it, without
#: the terminating NUL, and refuses a longer one.
_SUN_PATH_SIZE = 108


class Defaults:
    """``net.getDefaultAutoSelectFamily()`` and its attempt-timeout twin (Node 24: True, 250)."""

    auto_select_family = True
    attempt_timeout = 250


class _OneProtocolFactory(Factory):
    noisy = False

    def __init__(self, socket: Socket) -> None:
        self.socket = socket

    def buildProtocol(self, addr: Any) -> TCPHandle:  # type: ignore[override]
        return TCPHandle(self.socket)  # (no `factory` attribute: see ServerFactory)


# -- endpoints ------------------------------------------------------------------------------


def _attempt(socket: Socket, endpoint: Any, on_error: Callable[[Failure], None]) -> Deferred[Any]:
    """Connect *socket* through *endpoint*; *on_error* gets a failure other than our own
    cancellation, never synchronously (Node reports connect errors asynchronously, so a
    listener attached after ``connect()`` hears them). Returns the Deferred (cancel it to
    abandon the attempt)."""
    starting = True

    def failed(failure: Failure) -> None:
        # (An endpoint cancelled while connecting fails with ConnectingCancelledError.)
        if failure.check(CancelledError, ConnectingCancelledError) is not None or socket.destroyed:
            return
        _runtime.deliver(starting, on_error, failure)

    attempt: Deferred[Any]
    try:
        attempt = endpoint.connect(_OneProtocolFactory(socket))
    except Exception:
        # An endpoint (or the connector under it) that raises instead of failing its
        # Deferred: the same 'error' and 'close', never a socket left connecting.
        attempt = fail()
    attempt.addErrback(failed)
    starting = False
    return attempt


def connect_endpoint(socket: Socket, endpoint: Any) -> None:
    """Connect through any ``IStreamClientEndpoint``; a failure destroys the socket with
    the error translated to Node's (``syscall='connect'``)."""

    def on_error(failure: Failure) -> None:
        socket.destroy(translate(failure, "connect", default="ECONNREFUSED"))

    socket._attempt = _attempt(socket, endpoint, on_error)


def connect_path(socket: Socket, path: str) -> None:
    """Connect to a UNIX socket *path* (ENOENT, ECONNREFUSED... with ``address=path``).

    The path goes to the kernel as JavaScript's UTF-8 (a lone surrogate is U+FFFD, which the
    error's ``address`` shows, as Node's does)."""
    fs_path = encode(path)
    if len(fs_path) > _SUN_PATH_SIZE or b"\0" in fs_path[1:]:
        # libuv refuses a path longer than sun_path, or holding a NUL after its first byte,
        # at once: Node destroys the socket inside connect(), with its message for a
        # connect error that has local "details" (a pipe's sockname has no address or port).
        message = f"connect EINVAL {path} - Local (undefined:undefined)"
        socket.destroy(system_error("EINVAL", "connect", path, message=message))
        return
    endpoint = endpoints.UNIXClientEndpoint(socket._reactor, fs_path, timeout=None)
    shown = fs_path.decode("utf-8")

    def on_error(failure: Failure) -> None:
        error = translate(failure, "connect", path, default="ECONNREFUSED")
        if isinstance(error, NodeSystemError):
            error.address = shown  # what the kernel was given (Node's, too)
        socket.destroy(error)

    socket._attempt = _attempt(socket, endpoint, on_error)


def _tcp_endpoint(
    socket: Socket, ip: str, port: int, family: int, local: tuple[str, int] | None
) -> Any:
    kind = endpoints.TCP6ClientEndpoint if family == 6 else endpoints.TCP4ClientEndpoint
    return kind(socket._reactor, ip, port, timeout=None, bindAddress=local)  # type: ignore[arg-type]


def _local_binding(family: int, address: str | None, port: float | None) -> tuple[str, Any] | None:
    if not address and not port:
        return None
    return (address or ("::" if family == 6 else "0.0.0.0"), port or 0)


def _bind_port(port: Any) -> int | None:
    """The port libuv binds for a ``localPort`` (any number, checked by connect()): a
    negative integer wraps to 16 bits (-1 is 65535), as in Node; None for one Node 24 fails
    to bind (EADDRINUSE): a fraction, an infinity, above 65535."""
    if not is_integer(port) or port > 0xFFFF or port < -(2**31):
        return None
    return int(port) & 0xFFFF


def internal_connect(
    socket: Socket,
    ip: str,
    port: int,
    family: int,
    local_address: str | None,
    local_port: int | None,
) -> None:
    """One connection attempt to an IP address: ``'connectionAttempt'``, then
    ``'connect'`` or ``'connectionAttemptFailed'`` and the error."""
    if not socket.connecting:
        return
    socket.emit("connectionAttempt", ip, port, family)
    if not socket.connecting:  # a listener destroyed it: no connection to make
        return
    if is_blocked(socket.blockList, ip, family):
        socket.destroy(make_error("ERR_IP_BLOCKED", ip))
        return
    local = _local_binding(family, local_address, local_port)
    if local is not None and _bind_port(local[1]) is None:
        _runtime.next_tick(socket.destroy, system_error("EADDRINUSE", "bind", local[0], local[1]))
        return
    if local is not None:
        local = (local[0], _bind_port(local[1]) or 0)

    def on_error(failure: Failure) -> None:
        if local is not None and failure.check(ConnectBindError) is not None:
            # Node: binding the local end failed, before any connection attempt.
            socket.destroy(translate(failure, "bind", local[0], local[1], default="EADDRINUSE"))
            return
        error = translate(failure, "connect", ip, port, default="ECONNREFUSED")
        socket.emit("connectionAttemptFailed", ip, port, family, error)
        socket.destroy(error)

    endpoint = _tcp_endpoint(socket, ip, port, family, local)
    socket._attempt = _attempt(socket, endpoint, on_error)


# -- resolution -----------------------------------------------------------------------------


def lookup_and_connect(socket: Socket, options: dict[str, Any]) -> None:
    """Node's ``lookupAndConnect``: IP literals connect on the next tick; names are
    looked up first (``'lookup'``), with ``autoSelectFamily`` trying every address."""
    host: str = options.get("host") or "localhost"
    port: int = options["port"]
    local_address = options.get("localAddress")
    local_port = options.get("localPort")
    family = isIP(host)
    if family:
        _runtime.next_tick(internal_connect, socket, host, port, family, local_address, local_port)
        return
    lookup = options.get("lookup") or _dns.default_lookup(socket._reactor)
    family_option = options.get("family")  # checked by connect(), or the user's lookup's
    dns_family = family_option if is_number(family_option) and family_option in (4, 6) else 0
    dns_options: dict[str, Any] = {
        "family": dns_family or None,
        "hints": options.get("hints") or 0,
    }
    if not dns_family and not dns_options["hints"]:
        # Node (not on Windows): dns.ADDRCONFIG when no family and no hints were given.
        dns_options["hints"] = _pysocket.AI_ADDRCONFIG
    auto = options.get("autoSelectFamily")
    if auto is None:
        auto = Defaults.auto_select_family
    timeout = options.get("autoSelectFamilyAttemptTimeout") or Defaults.attempt_timeout

    if not dns_family and not local_address and auto:
        dns_options["all"] = True

        def on_addresses(err: BaseException | None, addresses: Any = None, *_: Any) -> None:
            if not socket.connecting:
                return
            if err is not None:
                socket.emit("lookup", err, None, None, host)
                _runtime.next_tick(socket.destroy, err)
                return
            _connect_multiple(socket, host, port, list(addresses), local_port, int(timeout))

        _call_lookup(socket, lookup, host, dns_options, on_addresses)
        return

    def on_address(err: BaseException | None, ip: Any = None, fam: Any = None) -> None:
        socket.emit("lookup", err, ip, fam, host)
        if not socket.connecting:
            return
        if err is not None:
            _runtime.next_tick(socket.destroy, err)
        elif not isinstance(ip, str) or not isIP(ip):
            _runtime.next_tick(socket.destroy, make_error("ERR_INVALID_IP_ADDRESS", ip))
        else:
            internal_connect(
                socket, ip, port, fam if fam in (4, 6) else isIP(ip), local_address, local_port
            )

    _call_lookup(socket, lookup, host, dns_options, on_address)


def _call_lookup(
    socket: Socket,
    lookup: Callable[..., Any],
    host: str,
    options: dict[str, Any],
    callback: Callable[..., Any],
) -> None:
    """Call the ``lookup`` function (the user's, maybe). One that raises raises out of
    ``connect()``, as in Node, and leaves the socket connecting with no handle: it then
    no longer holds ``twnet.run()`` (Node's process exits)."""
    try:
        lookup(host, options, callback)
    except BaseException:
        _runtime.release(socket)
        raise


def _connect_multiple(
    socket: Socket,
    host: str,
    port: int,
    addresses: list[Any],
    local_port: int | None,
    timeout: int,
) -> None:
    groups: tuple[list[tuple[str, int]], list[tuple[str, int]]] = ([], [])
    order: dict[int, int] | None = None
    for entry in addresses:
        ip, fam = (entry["address"], entry["family"]) if isinstance(entry, dict) else entry
        socket.emit("lookup", None, ip, fam, host)
        if not socket.connecting:
            return
        if isinstance(ip, str) and isIP(ip) and fam in (4, 6):
            if order is None:
                order = {6: 0, 4: 1} if fam == 6 else {4: 0, 6: 1}
            group = groups[order[fam]]
            if (ip, fam) not in group:
                group.append((ip, fam))
    if not groups[0] and not groups[1]:
        first = addresses[0]["address"] if addresses and isinstance(addresses[0], dict) else None
        _runtime.next_tick(socket.destroy, make_error("ERR_INVALID_IP_ADDRESS", first))
        return
    attempts: list[tuple[str, int]] = []
    for i in range(max(len(groups[0]), len(groups[1]))):
        attempts.extend(group[i] for group in groups if i < len(group))
    if len(attempts) == 1:
        ip, fam = attempts[0]
        internal_connect(socket, ip, port, fam, None, local_port)
        return
    socket.autoSelectFamilyAttemptedAddresses = []
    # The socket keeps it so that connecting or being destroyed clears its attempt timer.
    socket._multi = _MultipleAttempts(socket, attempts, port, local_port, timeout)
    socket._multi.next()


class _MultipleAttempts:
    """Node 24's ``internalConnectMultiple``: try each address in turn; an attempt that has
    not finished within the attempt timeout is abandoned (``'connectionAttemptTimeout'``)
    and the next one starts. All failing gives an AggregateError of every failure."""

    def __init__(
        self,
        socket: Socket,
        addresses: list[tuple[str, int]],
        port: int,
        local_port: int | None,
        timeout: int,
    ) -> None:
        self.socket = socket
        self.addresses = addresses
        self.port = port
        self.local_port = local_port
        self.timeout = timeout
        self.current = 0
        self.errors: list[BaseException] = []
        self.timer: IDelayedCall | None = None

    def _clear_timer(self) -> None:
        if self.timer is not None:
            if self.timer.active():
                self.timer.cancel()
            _runtime.forget_timer(self.timer)
            self.timer = None

    def next(self) -> None:
        self._clear_timer()
        socket = self.socket
        if not socket.connecting:
            return
        if self.current == len(self.addresses):
            if not self.errors:
                socket.destroy(make_error("ERR_SOCKET_CONNECTION_TIMEOUT"))
            else:
                socket.destroy(aggregate_error(self.errors))
            return
        index = self.current
        self.current += 1
        ip, family = self.addresses[index]
        port = self.port
        if is_blocked(socket.blockList, ip, family):
            # Node: a failed attempt (no 'connectionAttempt'), and on to the next address.
            blocked = make_error("ERR_IP_BLOCKED", ip)
            self.errors.append(blocked)
            socket.emit("connectionAttemptFailed", ip, port, family, blocked)
            if socket.connecting:
                self.next()
            return
        socket.emit("connectionAttempt", ip, port, family)
        if not socket.connecting:  # a listener destroyed it
            return
        if socket.autoSelectFamilyAttemptedAddresses is not None:
            socket.autoSelectFamilyAttemptedAddresses.append(f"{ip}:{port}")
        local = _local_binding(family, None, self.local_port)
        if local is not None:
            bind_port = _bind_port(local[1])
            if bind_port is None:
                socket.destroy(system_error("EADDRINUSE", "bind", local[0], local[1]))
                return
            local = (local[0], bind_port)

        def on_error(failure: Failure) -> None:
            self._clear_timer()
            error = translate(failure, "connect", ip, port, default="ECONNREFUSED")
            self.errors.append(error)
            socket.emit("connectionAttemptFailed", ip, port, family, error)
            if socket.connecting:
                self.next()

        attempt = _attempt(socket, _tcp_endpoint(socket, ip, port, family, local), on_error)
        socket._attempt = attempt
        if index < len(self.addresses) - 1 and not attempt.called:
            self.timer = _runtime.unref_timer(
                socket._reactor.callLater(
                    self.timeout / 1000, _runtime.dispatch, self._timed_out, ip, family, attempt
                )
            )

    def _timed_out(self, ip: str, family: int, attempt: Deferred[Any]) -> None:
        _runtime.forget_timer(self.timer)
        self.timer = None
        socket = self.socket
        socket.emit("connectionAttemptTimeout", ip, self.port, family)
        self.errors.append(system_error("ETIMEDOUT", "connect", ip, self.port))
        attempt.cancel()
        if socket.connecting:
            self.next()
