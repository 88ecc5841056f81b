"""The ``net`` API, Node's names first, each with its snake_case twin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twnet import _connect
from twnet._address import AddressInfo, normalize_args
from twnet._blocklist import BlockList
from twnet._errors import (
    NodeAggregateError,
    NodeError,
    NodeRangeError,
    NodeSystemError,
    NodeTypeError,
    invalid_arg_type,
    make_error,
)
from twnet._events import EventEmitter, MaxListenersExceededWarning, errorMonitor
from twnet._isip import isIP, isIPv4, isIPv6
from twnet._naming import module_twins
from twnet._runtime import next_tick as nextTick
from twnet._runtime import once, run
from twnet._server import Server
from twnet._socket import Socket
from twnet._socketaddress import SocketAddress

#: Node's ``net.Stream``: another name of :class:`Socket`.
Stream = Socket


def createServer(
    options: dict[str, Any] | Callable[..., Any] | None = None,
    connectionListener: Callable[..., Any] | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Server:
    """Node's ``net.createServer([options][, connectionListener])``: a new :class:`Server`."""
    return Server(options, connectionListener, reactor=reactor, **kwargs)


def connect(*args: Any, reactor: Any = None, **kwargs: Any) -> Socket:
    """Node's ``net.connect()`` / ``net.createConnection()``: a new :class:`Socket`,
    connecting. Forms: ``(options[, cb])``, ``(path[, cb])``, ``(port[, host][, cb])``,
    ``(endpoint[, cb])``; options go both to the Socket and to ``connect``; ``timeout``
    calls ``setTimeout`` before connecting."""
    options, cb = normalize_args(args)
    if kwargs:
        options.update(kwargs)
    socket_options = {
        key: value
        for key, value in options.items()
        if key not in ("port", "host", "path", "endpoint", "handle", "lookup")
    }
    socket = Socket(socket_options, reactor=reactor)
    timeout = socket_options.get("timeout")
    if timeout:
        socket.setTimeout(timeout)
    connect_args: list[Any] = [options]
    if cb is not None:
        connect_args.append(cb)
    return socket.connect(*connect_args)


createConnection = connect


def getDefaultAutoSelectFamily() -> bool:
    """Whether ``connect`` tries every address of a host (Node 24 default: True)."""
    return _connect.Defaults.auto_select_family


def setDefaultAutoSelectFamily(value: bool) -> None:
    """Set the ``autoSelectFamily`` default."""
    if not isinstance(value, bool):
        raise invalid_arg_type("value", "boolean", value)
    _connect.Defaults.auto_select_family = value


def getDefaultAutoSelectFamilyAttemptTimeout() -> int:
    """The ``autoSelectFamilyAttemptTimeout`` default in ms (Node 24: 250)."""
    return _connect.Defaults.attempt_timeout


def setDefaultAutoSelectFamilyAttemptTimeout(value: int) -> None:
    """Set the attempt-timeout default (ms, at least 10; smaller values become 10)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_arg_type("value", "number", value)
    if value < 1:
        raise make_error("ERR_OUT_OF_RANGE", "value", ">= 1 && <= 2147483647", value)
    _connect.Defaults.attempt_timeout = max(10, value)


_camel = [
    "createServer",
    "createConnection",
    "getDefaultAutoSelectFamily",
    "setDefaultAutoSelectFamily",
    "getDefaultAutoSelectFamilyAttemptTimeout",
    "setDefaultAutoSelectFamilyAttemptTimeout",
    "isIP",
    "isIPv4",
    "isIPv6",
    "nextTick",
]

__all__ = [
    "AddressInfo",
    "BlockList",
    "EventEmitter",
    "MaxListenersExceededWarning",
    "NodeAggregateError",
    "NodeError",
    "NodeRangeError",
    "NodeSystemError",
    "NodeTypeError",
    "Server",
    "Socket",
    "SocketAddress",
    "Stream",
    "connect",
    "createConnection",
    "createServer",
    "errorMonitor",
    "getDefaultAutoSelectFamily",
    "getDefaultAutoSelectFamilyAttemptTimeout",
    "isIP",
    "isIPv4",
    "isIPv6",
    "nextTick",
    "once",
    "run",
    "setDefaultAutoSelectFamily",
    "setDefaultAutoSelectFamilyAttemptTimeout",
]
__all__ += module_twins(globals(), _camel)
