"""Node's connect orchestration (``lookupAndConnect``, ``internalConnect``,
``internalConnectMultiple``): how a client socket reaches its peer, as a facade over the
Twisted side.

A :class:`Connector` holds one ``connect()``'s state for the socket that owns it: the
look-up, the attempt under way, the ``autoSelectFamily`` attempt timer. It reports to the
socket only through :class:`ConnectOwner` (Node's events on it, ``destroy(error)``), and
:meth:`Connector.cancel` abandons whatever is under way. Host names are looked up with a
Node-style ``lookup(host, options, callback)`` (the default: :func:`twnet._dns.default_lookup`),
so that ``'lookup'`` is emitted and ``family`` honoured; each attempt goes through a Twisted
client endpoint (:mod:`twnet._dial`), whose protocol, the socket's handle, connects the
socket itself.
"""

from __future__ import annotations

import socket as _pysocket
from collections.abc import Callable
from typing import Any, Protocol

from twnet import _dial, _dns, _runtime
from twnet._blocklist import is_blocked
from twnet._callables import call
from twnet._clock import Timer
from twnet._encoding import encode
from twnet._errors import NodeSystemError, aggregate_error, make_error, system_error
from twnet._isip import isIP
from twnet._requests import ConnectRequest
from twnet._validators import is_integer, is_number

__all__ = ["ConnectOwner", "Connector", "Defaults"]


#: The size of ``sun_path`` (Linux): libuv's connect takes a path that fills it, without
#: the terminating NUL, and refuses a longer one.
_SUN_PATH_SIZE = 108


class Defaults:
    """``net.getDefaultAutoSelectFamily()`` and its attempt-timeout twin (Node 24: True, 250)."""

    auto_select_family = True
    attempt_timeout = 250


class ConnectOwner(Protocol):
    """What a :class:`Connector` reports to: the socket connecting (Node's connect code
    emits on it and destroys it; a handle it makes reports the connection to it)."""

    connecting: bool
    autoSelectFamilyAttemptedAddresses: list[str] | None
    _reactor: Any

    @property
    def destroyed(self) -> bool: ...

    @property
    def blockList(self) -> Any: ...

    def emit(self, event: str, /, *args: Any) -> bool: ...

    def destroy(self, error: BaseException | None = None, /) -> Any: ...


def _tcp_endpoint(
    socket: ConnectOwner, ip: str, port: int, family: int, local: tuple[str, int] | None
) -> Any:
    """The client endpoint of one TCP attempt (tests replace it to make attempts hang)."""
    return _dial.tcp_endpoint(socket._reactor, ip, port, family, local)


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


class Connector:
    """One ``connect()`` of *owner*: started by :meth:`start`, ended by the owner through
    :meth:`connected` (its handle connected) or :meth:`cancel` (destroyed)."""

    __slots__ = ("attempt", "multi", "owner")

    def __init__(self, owner: ConnectOwner) -> None:
        self.owner = owner
        #: The endpoint attempt under way (the last one made), None before the first.
        self.attempt: _dial.Attempt | None = None
        self.multi: _MultipleAttempts | None = None

    @property
    def attempting(self) -> bool:
        """An attempt was started (past the look-up: Node's socket has its handle)."""
        return self.attempt is not None

    def start(self, request: ConnectRequest) -> None:
        """Connect as *request* says (called inside ``connect()``)."""
        if request.endpoint is not None:
            self.try_endpoint(request.endpoint, self._endpoint_failed)
        elif request.path is not None:
            self._connect_path(request.path)
        else:
            self._lookup_and_connect(request)

    def connected(self) -> None:
        """The owner's handle connected: the attempt timer goes."""
        self.attempt = None
        if self.multi is not None:
            self._end_multi()

    def cancel(self) -> None:
        """Abandon the connect: the attempt under way and its timer."""
        attempt, self.attempt = self.attempt, None
        if attempt is not None:
            attempt.cancel()
        self._end_multi()

    def _end_multi(self) -> None:
        if self.multi is not None:
            self.multi.clear_timer()
            self.multi = None

    # -- reporting to the owner ---------------------------------------------------------

    def emit(self, event: str, *args: Any) -> bool:
        """Emit *event* on the owner; whether it is still connecting afterwards (a listener
        may have destroyed it)."""
        self.owner.emit(event, *args)
        return self.owner.connecting

    def fail(self, error: BaseException) -> None:
        """Destroy the owner with *error* now."""
        self.owner.destroy(error)

    def fail_soon(self, error: BaseException) -> None:
        """Destroy the owner with *error* on the next tick (Node's ``process.nextTick``)."""
        _runtime.next_tick(self.owner.destroy, error)

    def try_endpoint(self, endpoint: Any, on_error: Callable[[_dial.DialFailure], None]) -> None:
        owner = self.owner
        self.attempt = _dial.attempt(endpoint, owner, on_error, lambda: owner.destroyed)

    # -- endpoints and paths ------------------------------------------------------------

    def _endpoint_failed(self, failure: _dial.DialFailure) -> None:
        # Any IStreamClientEndpoint: its failure with syscall 'connect'.
        self.fail(failure.error("connect", default="ECONNREFUSED"))

    def _connect_path(self, path: str) -> None:
        """Connect to a UNIX socket *path* (ENOENT, ECONNREFUSED... with ``address=path``).

        The path goes to the kernel as JavaScript's UTF-8 (a lone surrogate is U+FFFD, which
        the error's ``address`` shows, as Node's does)."""
        fs_path = encode(path)
        if len(fs_path) > _SUN_PATH_SIZE or b"\0" in fs_path[1:]:
            # libuv refuses a path longer than sun_path, or holding a NUL after its first
            # byte, at once: Node destroys the socket inside connect(), with its message for
            # a connect error that has local "details" (a pipe's sockname has no address or
            # port).
            message = f"connect EINVAL {path} - Local (undefined:undefined)"
            self.fail(system_error("EINVAL", "connect", path, message=message))
            return
        shown = fs_path.decode("utf-8")

        def on_error(failure: _dial.DialFailure) -> None:
            error = failure.error("connect", path, default="ECONNREFUSED")
            if isinstance(error, NodeSystemError):
                error.address = shown  # what the kernel was given (Node's, too)
            self.fail(error)

        self.try_endpoint(_dial.unix_endpoint(self.owner._reactor, fs_path), on_error)

    def internal_connect(
        self,
        ip: str,
        port: int,
        family: int,
        local_address: str | None,
        local_port: float | None,
    ) -> None:
        """One connection attempt to an IP address: ``'connectionAttempt'``, then
        ``'connect'`` or ``'connectionAttemptFailed'`` and the error."""
        owner = self.owner
        if not owner.connecting or not self.emit("connectionAttempt", ip, port, family):
            return  # (a listener destroyed it: no connection to make)
        if is_blocked(owner.blockList, ip, family):
            self.fail(make_error("ERR_IP_BLOCKED", ip))
            return
        local = _local_binding(family, local_address, local_port)
        if local is not None and _bind_port(local[1]) is None:
            self.fail_soon(system_error("EADDRINUSE", "bind", local[0], local[1]))
            return
        if local is not None:
            local = (local[0], _bind_port(local[1]) or 0)

        def on_error(failure: _dial.DialFailure) -> None:
            if local is not None and failure.bind_failed:
                # Node: binding the local end failed, before any connection attempt.
                self.fail(failure.error("bind", local[0], local[1], default="EADDRINUSE"))
                return
            error = failure.error("connect", ip, port, default="ECONNREFUSED")
            self.emit("connectionAttemptFailed", ip, port, family, error)
            self.fail(error)

        self.try_endpoint(_tcp_endpoint(owner, ip, port, family, local), on_error)

    # -- looking up ---------------------------------------------------------------------

    def _lookup_and_connect(self, request: ConnectRequest) -> None:
        """Node's ``lookupAndConnect``: IP literals connect on the next tick; names are
        looked up first (``'lookup'``), with ``autoSelectFamily`` trying every address."""
        owner = self.owner
        host, port = request.host, request.port
        local_address, local_port = request.local_address, request.local_port
        family = isIP(host)
        if family:
            _runtime.next_tick(self.internal_connect, host, port, family, local_address, local_port)
            return
        lookup = request.lookup or _dns.default_lookup(owner._reactor)
        family_option = request.family  # checked by connect(), or the user's lookup's
        dns_family = family_option if is_number(family_option) and family_option in (4, 6) else 0
        dns_options: dict[str, Any] = {"family": dns_family or None, "hints": request.hints}
        if not dns_family and not dns_options["hints"]:
            # Node (not on Windows): dns.ADDRCONFIG when no family and no hints were given.
            dns_options["hints"] = _pysocket.AI_ADDRCONFIG
        auto = request.auto_select_family
        if auto is None:
            auto = Defaults.auto_select_family
        timeout = request.attempt_timeout or Defaults.attempt_timeout

        if not dns_family and not local_address and auto:
            dns_options["all"] = True

            def on_addresses(err: BaseException | None, addresses: Any = None, *_: Any) -> None:
                if not owner.connecting:
                    return
                if err is not None:
                    self.emit("lookup", err, None, None, host)
                    self.fail_soon(err)
                    return
                self._connect_multiple(host, port, list(addresses), local_port, int(timeout))

            self._call_lookup(lookup, host, dns_options, on_addresses)
            return

        def on_address(err: BaseException | None, ip: Any = None, fam: Any = None) -> None:
            if not self.emit("lookup", err, ip, fam, host):
                return
            if err is not None:
                self.fail_soon(err)
            elif not isinstance(ip, str) or not isIP(ip):
                self.fail_soon(make_error("ERR_INVALID_IP_ADDRESS", ip))
            else:
                fam = fam if fam in (4, 6) else isIP(ip)
                self.internal_connect(ip, port, fam, local_address, local_port)

        self._call_lookup(lookup, host, dns_options, on_address)

    def _call_lookup(
        self,
        lookup: Callable[..., Any],
        host: str,
        options: dict[str, Any],
        callback: Callable[..., Any],
    ) -> None:
        """Call the ``lookup`` function (the user's, maybe). One that raises raises out of
        ``connect()``, as in Node, and leaves the socket connecting with no handle: it then
        no longer holds ``twnet.run()`` (Node's process exits)."""
        try:
            call(lookup, host, options, callback)
        except BaseException:
            _runtime.release(self.owner)
            raise

    def _connect_multiple(
        self,
        host: str,
        port: int,
        addresses: list[Any],
        local_port: float | None,
        timeout: int,
    ) -> None:
        groups: tuple[list[tuple[str, int]], list[tuple[str, int]]] = ([], [])
        order: dict[int, int] | None = None
        for entry in addresses:
            ip, fam = (entry["address"], entry["family"]) if isinstance(entry, dict) else entry
            if not self.emit("lookup", None, ip, fam, host):
                return
            if isinstance(ip, str) and isIP(ip) and fam in (4, 6):
                if order is None:
                    order = {6: 0, 4: 1} if fam == 6 else {4: 0, 6: 1}
                group = groups[order[fam]]
                if (ip, fam) not in group:
                    group.append((ip, fam))
        if not groups[0] and not groups[1]:
            first = (
                addresses[0]["address"] if addresses and isinstance(addresses[0], dict) else None
            )
            self.fail_soon(make_error("ERR_INVALID_IP_ADDRESS", first))
            return
        attempts: list[tuple[str, int]] = []
        for i in range(max(len(groups[0]), len(groups[1]))):
            attempts.extend(group[i] for group in groups if i < len(group))
        if len(attempts) == 1:
            ip, fam = attempts[0]
            self.internal_connect(ip, port, fam, None, local_port)
            return
        self.owner.autoSelectFamilyAttemptedAddresses = []
        # Kept so that connecting or being destroyed clears its attempt timer.
        self.multi = _MultipleAttempts(self, attempts, port, local_port, timeout)
        self.multi.next()


class _MultipleAttempts:
    """Node 24's ``internalConnectMultiple``: try each address in turn; an attempt that has
    not finished within the attempt timeout is abandoned (``'connectionAttemptTimeout'``)
    and the next one starts. All failing gives an AggregateError of every failure."""

    __slots__ = (
        "addresses",
        "connector",
        "current",
        "errors",
        "local_port",
        "port",
        "timeout",
        "timer",
    )

    def __init__(
        self,
        connector: Connector,
        addresses: list[tuple[str, int]],
        port: int,
        local_port: float | None,
        timeout: int,
    ) -> None:
        self.connector = connector
        self.addresses = addresses
        self.port = port
        self.local_port = local_port
        self.timeout = timeout
        self.current = 0
        self.errors: list[BaseException] = []
        self.timer: Timer | None = None  # the attempt timer

    def clear_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def next(self) -> None:
        self.clear_timer()
        connector = self.connector
        owner = connector.owner
        if not owner.connecting:
            return
        if self.current == len(self.addresses):
            if not self.errors:
                connector.fail(make_error("ERR_SOCKET_CONNECTION_TIMEOUT"))
            else:
                connector.fail(aggregate_error(self.errors))
            return
        index = self.current
        self.current += 1
        ip, family = self.addresses[index]
        port = self.port
        if is_blocked(owner.blockList, ip, family):
            # Node: a failed attempt (no 'connectionAttempt'), and on to the next address.
            blocked = make_error("ERR_IP_BLOCKED", ip)
            self.errors.append(blocked)
            if connector.emit("connectionAttemptFailed", ip, port, family, blocked):
                self.next()
            return
        if not connector.emit("connectionAttempt", ip, port, family):
            return  # a listener destroyed it
        if owner.autoSelectFamilyAttemptedAddresses is not None:
            owner.autoSelectFamilyAttemptedAddresses.append(f"{ip}:{port}")
        local = _local_binding(family, None, self.local_port)
        if local is not None:
            bind_port = _bind_port(local[1])
            if bind_port is None:
                connector.fail(system_error("EADDRINUSE", "bind", local[0], local[1]))
                return
            local = (local[0], bind_port)

        def on_error(failure: _dial.DialFailure) -> None:
            self.clear_timer()
            error = failure.error("connect", ip, port, default="ECONNREFUSED")
            self.errors.append(error)
            if connector.emit("connectionAttemptFailed", ip, port, family, error):
                self.next()

        connector.try_endpoint(_tcp_endpoint(owner, ip, port, family, local), on_error)
        attempt = connector.attempt
        if index < len(self.addresses) - 1 and attempt is not None and not attempt.done:
            self.timer = Timer(
                owner._reactor, _runtime.dispatch, self._timed_out, ip, family, attempt, ref=False
            )
            self.timer.start(self.timeout / 1000)

    def _timed_out(self, ip: str, family: int, attempt: _dial.Attempt) -> None:
        self.timer = None
        connector = self.connector
        connector.emit("connectionAttemptTimeout", ip, self.port, family)
        self.errors.append(system_error("ETIMEDOUT", "connect", ip, self.port))
        attempt.cancel()
        if connector.owner.connecting:
            self.next()
