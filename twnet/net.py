"""The ``net`` API, Node's names first, each with its snake_case twin."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, cast, overload

from twnet import _connect, _runtime
from twnet._address import AddressInfo, ClientEndpoint, normalize_args
from twnet._blocklist import BlockList
from twnet._callables import exact
from twnet._errors import (
    NodeAggregateError,
    NodeError,
    NodeRangeError,
    NodeSystemError,
    NodeTypeError,
)
from twnet._events import EventEmitter, MaxListenersExceededWarning, errorMonitor
from twnet._isip import isIP, isIPv4, isIPv6
from twnet._naming import module_twins
from twnet._once import once
from twnet._runtime import run
from twnet._server import Server
from twnet._socket import Socket
from twnet._socketaddress import SocketAddress
from twnet._validators import (
    js_truthy,
    timer_duration,
    validate_boolean,
    validate_function,
    validate_int32,
)
from twnet.events import on

#: Node's ``net.Stream``: another name of :class:`Socket`.
Stream = Socket

#: ``createServer``'s *connectionListener*: called with each accepted :class:`Socket` (or,
#: taking no parameter, with none: see "Arity" in ``docs/python-native.rst``).
ConnectionListener: TypeAlias = Callable[[Socket], object] | Callable[[], object]
#: ``connect``'s *connectListener*: called with no argument once connected.
ConnectListener: TypeAlias = Callable[[], object]


def nextTick(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(callback[, ...args])``: call ``callback(*args)`` once the
    current callback returns, before any I/O or timer. A *callback* that is not callable
    raises ``ERR_INVALID_ARG_TYPE`` at once, as in Node."""
    validate_function(callback, "callback")
    # (net's own next_tick is the twin of this.) exact: an async def callback is run.
    _runtime.next_tick(exact, callback, *args)


def createServer(
    options: dict[str, Any] | ConnectionListener | None = None,
    connectionListener: ConnectionListener | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Server:
    """Node's ``net.createServer([options][, connectionListener])``: a new :class:`Server`;
    *connectionListener* becomes a ``'connection'`` listener (called with each accepted
    :class:`Socket`)."""
    return Server(options, connectionListener, reactor=reactor, **kwargs)


@overload
def connect(
    options: Mapping[str, Any],
    connectListener: ConnectListener | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Socket: ...
@overload
def connect(
    port: int,
    host: str | None = None,
    connectListener: ConnectListener | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Socket: ...
@overload
def connect(
    port: int, connectListener: ConnectListener, /, *, reactor: Any = None, **kwargs: Any
) -> Socket: ...
@overload
def connect(
    path_or_endpoint: str | ClientEndpoint,
    connectListener: ConnectListener | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Socket: ...
@overload
def connect(*, reactor: Any = None, **kwargs: Any) -> Socket: ...
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
    if js_truthy(timeout):
        timer_duration(timeout, "msecs", warn=False)  # checked before connect, as Node
    connect_args: list[Any] = [options]
    if cb is not None:
        connect_args.append(cb)
    socket.connect(*connect_args)  # raising, it leaves no timer behind
    if js_truthy(timeout):
        socket.setTimeout(cast(float, timeout))
    return socket


createConnection = connect


def getDefaultAutoSelectFamily() -> bool:
    """Whether ``connect`` tries every address of a host (Node 24 default: True)."""
    return _connect.Defaults.auto_select_family


def setDefaultAutoSelectFamily(value: bool) -> None:
    """Set the ``autoSelectFamily`` default."""
    _connect.Defaults.auto_select_family = validate_boolean(value, "value")


def getDefaultAutoSelectFamilyAttemptTimeout() -> int:
    """The ``autoSelectFamilyAttemptTimeout`` default in ms (Node 24: 250)."""
    return _connect.Defaults.attempt_timeout


def setDefaultAutoSelectFamilyAttemptTimeout(value: int) -> None:
    """Set the attempt-timeout default: an integer 1..2**31-1 in ms (a float with no
    fraction too, as in Node); below 10 becomes 10."""
    _connect.Defaults.attempt_timeout = max(10, validate_int32(value, "value", 1))


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
    "on",
    "once",
    "run",
    "setDefaultAutoSelectFamily",
    "setDefaultAutoSelectFamilyAttemptTimeout",
]
__all__ += module_twins(globals(), _camel)

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    create_connection = createConnection
    create_server = createServer
    get_default_auto_select_family = getDefaultAutoSelectFamily
    get_default_auto_select_family_attempt_timeout = getDefaultAutoSelectFamilyAttemptTimeout
    is_ip = isIP
    is_ipv4 = isIPv4
    is_ipv6 = isIPv6
    next_tick = nextTick
    set_default_auto_select_family = setDefaultAutoSelectFamily
    set_default_auto_select_family_attempt_timeout = setDefaultAutoSelectFamilyAttemptTimeout
    __all__ += [
        "create_connection",
        "create_server",
        "get_default_auto_select_family",
        "get_default_auto_select_family_attempt_timeout",
        "is_ip",
        "is_ipv4",
        "is_ipv6",
        "next_tick",
        "set_default_auto_select_family",
        "set_default_auto_select_family_attempt_timeout",
    ]
