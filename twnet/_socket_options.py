"""The options of a Socket's connection (Type of Service, ``TCP_NODELAY``, keep-alive), as a
base class of :class:`~twnet.Socket` (the fields are the Socket's slots), and the checks of
its constructor's stream options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twnet._errors import make_error, system_error
from twnet._keepalive import keep_alive_arguments
from twnet._socket_fields import SocketFields
from twnet._tos import read_tos, validate_tos, write_tos
from twnet._validators import js_truthy

if TYPE_CHECKING:
    from typing_extensions import Self

    from twnet._connect import Connector


__all__ = ["SocketOptions", "refuse_object_mode"]


class SocketOptions(SocketFields):
    """``setNoDelay``, ``setKeepAlive``, ``setTypeOfService`` / ``getTypeOfService``: set on
    the handle when there is one, else kept and set once connected."""

    __slots__ = ()

    _connector: Connector | None  # the connect under way (a field of the Socket)

    def setTypeOfService(self, tos: int) -> Self:
        """Set the IP Type of Service byte (``IP_TOS``; ``IPV6_TCLASS`` on an IPv6 socket),
        0-255, now or, before the connection exists, once it does. A UNIX socket keeps the
        value without applying it. As in Node: between ``connect()`` and the start of the
        connection attempt (during a look-up) this raises ``EBADF``, the value being kept
        and applied on connect; the system refusing raises its error
        (``syscall='setTypeOfService'``); Linux keeps the two ECN bits to itself."""
        tos = validate_tos(tos, "tos")
        handle = self._ip_handle()
        if handle is None:
            self._tos = tos
            if self.connecting and not self._attempting():
                raise system_error("EBADF", "setTypeOfService")
            return self
        if tos != self._tos:
            self._tos = tos
            error = write_tos(handle, tos)
            if error is not None:
                raise error
        return self

    def getTypeOfService(self) -> int:
        """The Type of Service byte of the connection (``IP_TOS`` / ``IPV6_TCLASS`` as the
        system reports it); without a TCP connection, the value last set (0 if none). Like
        Node, raises ``EBADF`` between ``connect()`` and the start of the attempt."""
        handle = self._ip_handle()
        if handle is not None:
            value = read_tos(handle)
            if value is not None:
                return value
        elif self.connecting and not self._attempting():
            raise system_error("EBADF", "getTypeOfService")
        return self._tos or 0

    def _attempting(self) -> bool:
        """A connect attempt was started (past the look-up: Node's socket has a handle)."""
        return self._connector is not None and self._connector.attempting

    def _ip_handle(self) -> Any:
        """The connected socket object under the handle, or None."""
        handle = self._handle
        return handle.os_socket() if handle is not None else None

    def setNoDelay(self, noDelay: bool = True) -> Self:
        """Disable (True, the default) or enable Nagle's algorithm; applied now or on
        connect. Any value is read as JavaScript's ``Boolean()`` reads it (None: True)."""
        enable = True if noDelay is None else js_truthy(noDelay)
        handle = self._handle
        if handle is None:
            self._no_delay = enable
            return self
        if enable != self._no_delay:
            self._no_delay = enable
            handle.set_no_delay(enable)
        return self

    def setKeepAlive(
        self,
        enable: bool | Mapping[str, Any] = False,
        initialDelay: float = 0,
        interval: float | None = None,
        count: int | None = None,
    ) -> Self:
        """Enable or disable TCP keep-alive (``SO_KEEPALIVE``), now or on connect. When
        enabling with *initialDelay*, *interval* (ms, default 1000) and *count* (default 10)
        all positive, also ``TCP_KEEPIDLE``, ``TCP_KEEPINTVL`` (whole seconds) and
        ``TCP_KEEPCNT``; otherwise the system's values stay. The first argument may be an
        options dict ``{'enable', 'initialDelay', 'interval', 'count'}`` (Node 24.19+).

        As in Node, any value is accepted: *enable* is read as ``Boolean()`` reads it,
        the times as ``~~(ms / 1000)`` seconds (NaN, a string that is no number: 0), a count
        that is no integer as 10, and a value the kernel refuses (a delay over 32767 s on
        Linux) is ignored."""
        wanted = keep_alive_arguments(enable, initialDelay, interval, count)
        handle = self._handle
        if handle is None:
            self._keep_alive = wanted
            return self
        if wanted.differs(self._keep_alive):
            self._keep_alive = wanted
            handle.set_keep_alive(wanted)
        return self

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        get_type_of_service = getTypeOfService
        set_keep_alive = setKeepAlive
        set_no_delay = setNoDelay
        set_type_of_service = setTypeOfService


def refuse_object_mode(opts: Mapping[str, Any]) -> None:
    """Node: a socket carries bytes; ``objectMode`` (then ``readableObjectMode`` or
    ``writableObjectMode``) set to a true value is refused."""
    if js_truthy(opts.get("objectMode")):
        raise make_error(
            "ERR_INVALID_ARG_VALUE", "options.objectMode", opts["objectMode"], "is not supported"
        )
    readable, writable = opts.get("readableObjectMode"), opts.get("writableObjectMode")
    if js_truthy(readable) or js_truthy(writable):
        name = "readableObjectMode" if js_truthy(readable) else "writableObjectMode"
        value = readable if js_truthy(readable) else writable
        raise make_error("ERR_INVALID_ARG_VALUE", f"options.{name}", value, "is not supported")
