"""``net.Server``: Node's TCP / UNIX server over a Twisted listening port."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IListeningPort
from twisted.python.failure import Failure

from twnet import _listen, _runtime
from twnet._abort import add_abort_listener, validate_abort_signal
from twnet._address import AddressInfo, normalize_args
from twnet._blocklist import BlockList, block_list_option, is_blocked
from twnet._dns import default_lookup
from twnet._encoding import encode
from twnet._errors import (
    NodeError,
    NodeSystemError,
    invalid_arg_type,
    make_error,
    system_error,
)
from twnet._events import EventEmitter
from twnet._failures import translate
from twnet._isip import isIP
from twnet._keepalive import KeepAlive
from twnet._naming import options as camel_options
from twnet._protocol import ServerFactory
from twnet._socket import Socket
from twnet._tcp_handle import TCPHandle, address_info
from twnet._validators import (
    is_function,
    is_number,
    is_pipe_name,
    js_truthy,
    to_int32,
    to_number,
    validate_function,
    validate_number,
    validate_port,
    validate_string_without_null_bytes,
)

__all__ = ["Server"]


def _setting(name: str, doc: str) -> Any:
    """A read-write property over ``self._<name>`` (a plain attribute would get no
    snake_case twin: twins are made for what the class defines)."""
    slot = "_" + name

    def get(self: Server) -> Any:
        return getattr(self, slot)

    def set_(self: Server, value: Any) -> None:
        setattr(self, slot, value)

    return property(get, set_, doc=doc)


class Server(EventEmitter):
    """Node's ``net.Server``: accepts TCP or UNIX connections as :class:`~twnet.Socket`\\ s.

    Events: ``'listening'``, ``'connection'`` (the socket), ``'drop'`` (a connection refused
    over ``maxConnections``, with its addresses), ``'error'``, ``'close'`` (once the server
    stopped listening and every connection it accepted has closed).

    ``options``: ``allowHalfOpen``, ``pauseOnConnect``, ``noDelay``, ``keepAlive``,
    ``keepAliveInitialDelay``, ``highWaterMark``, ``blockList`` (a :class:`~twnet.BlockList`:
    a peer it blocks is disconnected as soon as it is accepted, with no ``'connection'`` nor
    ``'drop'``); ``connectionListener`` becomes a
    ``'connection'`` listener; keyword-only ``reactor``.
    """

    # A listener's exception is reported where it escapes and the server's own work goes
    # on: see EventEmitter.emit.
    _contains_listener_errors = True

    def __init__(
        self,
        options: dict[str, Any] | Callable[..., Any] | None = None,
        connectionListener: Callable[..., Any] | None = None,
        /,
        *,
        reactor: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if is_function(options):
            connectionListener, options = options, None
        elif isinstance(options, (bool, int, float, str)):
            raise invalid_arg_type("options", "Object", options)
        # Node spreads any object into the options: a mapping's keys count, an array's
        # or another object's do not name an option.
        opts = camel_options(options if isinstance(options, Mapping) else None, **kwargs)
        delay = opts.get("keepAliveInitialDelay")
        if delay is not None:
            delay = max(0.0, validate_number(delay, "options.keepAliveInitialDelay"))
        hwm = opts.get("highWaterMark")
        if hwm is not None:
            # Node keeps NaN, Infinity or 1.5 here; an accepted socket then refuses it.
            hwm = None if validate_number(hwm, "options.highWaterMark") < 0 else hwm
        if is_function(connectionListener):  # Node ignores anything else
            self.on("connection", connectionListener)
        self._reactor = _runtime.get_reactor(reactor)
        self._allowHalfOpen = js_truthy(opts.get("allowHalfOpen"))
        self._pauseOnConnect = js_truthy(opts.get("pauseOnConnect"))
        self._noDelay = js_truthy(opts.get("noDelay"))
        self._keepAlive = js_truthy(opts.get("keepAlive"))
        self._keepAliveInitialDelay = to_int32((delay or 0) / 1000)
        self._highWaterMark = hwm
        self._maxConnections: int | None = None
        self._blockList = block_list_option(opts.get("blockList"))
        self._port: Any = None
        self._pipe_name: str | None = None
        self._connections = 0
        self._listening_id = 0
        self._closing: list[Deferred[Any]] = []
        self._close_owed = 0
        self._refd = True
        self._factory = ServerFactory(self)

    # -- settings (properties, so that their snake_case twins read and write them too) ----

    allowHalfOpen: bool = _setting(
        "allowHalfOpen", "Accepted sockets keep their writable side open after the peer's FIN."
    )
    pauseOnConnect: bool = _setting(
        "pauseOnConnect", "Accepted sockets read nothing until ``socket.resume()``."
    )
    noDelay: bool = _setting("noDelay", "Accepted sockets get ``setNoDelay(True)``.")
    keepAlive: bool = _setting(
        "keepAlive", "Accepted sockets get ``setKeepAlive(True, keepAliveInitialDelay)``."
    )
    keepAliveInitialDelay: int = _setting(
        "keepAliveInitialDelay",
        "Whole seconds, as Node keeps it (``~~(ms / 1000)`` of the option in milliseconds).",
    )
    highWaterMark: int | None = _setting(
        "highWaterMark", "``highWaterMark`` of accepted sockets (``None``: Node's default)."
    )
    blockList: BlockList | None = _setting(
        "blockList",
        "The ``blockList`` option: a peer whose address it blocks is disconnected as soon as it "
        "is accepted (no ``'connection'``, no ``'drop'``).",
    )
    maxConnections: int | None = _setting(
        "maxConnections",
        "Refuse connections beyond this many (``None``: no limit): a refused connection is "
        "closed at once and ``'drop'`` is emitted with its addresses.",
    )

    # -- listening --------------------------------------------------------------------

    def listen(self, *args: Any, **kwargs: Any) -> Server:
        """Start accepting connections; ``'listening'`` follows asynchronously.

        Forms: ``listen([port][, host][, backlog][, cb])``, ``listen(path[, backlog][, cb])``,
        ``listen(options[, cb])`` (``port``, ``host``, ``backlog``, ``path``, ``exclusive``,
        ``ipv6Only``, ``reusePort``, ``fd``, ``readableAll``, ``writableAll``),
        ``listen(handle[, backlog][, cb])`` with a
        Server, a Socket or ``{'fd': n}``, and ``listen(endpoint[, cb])`` with any Twisted
        ``IStreamServerEndpoint``. No host: ``::`` dual-stack when the machine has IPv6, else
        ``0.0.0.0``. ``exclusive`` is accepted: every twnet server owns its handle. Options
        may also be keyword arguments: ``listen(port=0, host='::1')``. A host is looked up
        first, an IP literal too, as in Node: ``listening`` is then still False on return.
        """
        if kwargs:
            args = _merge_keywords(args, camel_options(None, **kwargs))
        options, cb = normalize_args(args)
        if self._port is not None:
            raise make_error("ERR_SERVER_ALREADY_LISTEN")
        backlog_from_args: object = 0  # Node: toNumber(args[1]) || toNumber(args[2])
        for extra in args[1:3]:
            number = to_number(extra)
            if number >= 0 and number != 0:
                backlog_from_args = number
                break
        handle = options.get("_handle") or options.get("handle") or options.get("endpoint")
        if handle is not None:
            endpoint = self._handle_endpoint(handle, _backlog(backlog_from_args))
            if endpoint is not None:
                if "endpoint" in options:  # twnet's own form: the options keep their signal
                    self._abort_on(options.get("signal"))
                self._begin(cb)
                self._start(endpoint, None, None)
                return self
            # Node goes on with the handle as the options (``{'handle': {'fd': 3}}``).
            options = camel_options(handle) if isinstance(handle, Mapping) else {}
        self._abort_on(options.get("signal"))
        fd = options.get("fd")
        if is_number(fd) and fd >= 0:
            # An fd that is no listening socket fails asynchronously (EINVAL), as in Node.
            self._begin(cb)
            endpoint = _listen.endpoint_for(
                self._reactor, fd=fd, backlog=_backlog(backlog_from_args)
            )
            self._start(endpoint, None, None)
            return self
        no_port = not args or is_function(args[0]) or args[0] is None
        if no_port or ("port" in options and options["port"] is None):
            options["port"] = 0
        port = options.get("port")
        if isinstance(port, str) or is_number(port):
            number = validate_port(port, "options.port")
            backlog = _backlog(options.get("backlog") or backlog_from_args)
            host = options.get("host")
            if js_truthy(host):
                # Node's dns.lookup(host) throws these at once
                host = validate_string_without_null_bytes(host, "hostname")
                self._begin(cb)
                self._lookup_and_listen(host, number, backlog, options)
            else:
                self._begin(cb)
                host = "::" if _listen.has_ipv6() else "0.0.0.0"
                self._listen_tcp(host, number, backlog, options)
            return self
        path = options.get("path")
        if js_truthy(path) and is_pipe_name(path):
            readable_all, writable_all = options.get("readableAll"), options.get("writableAll")
            if path[0] == "\0" and (js_truthy(readable_all) or js_truthy(writable_all)):
                raise make_error(
                    "ERR_INVALID_ARG_VALUE",
                    "options",
                    options,
                    # Node's text, typo included
                    "can not set readableAll or writableAllt to true when path is abstract "
                    "unix socket",
                )
            self._begin(cb)
            self._listen_path(
                path,
                _backlog(options.get("backlog") or backlog_from_args),
                readable_all is True,
                writable_all is True,
            )
            return self
        if "port" not in options and "path" not in options:
            raise make_error(
                "ERR_INVALID_ARG_VALUE",
                "options",
                options,
                'must have the property "port" or "path"',
            )
        raise make_error("ERR_INVALID_ARG_VALUE", "options", options)

    def _abort_on(self, signal: Any) -> None:
        """Node's ``signal`` option of ``listen``: the server closes when *signal* aborts (on
        the next tick when it already has); the listener goes when the server closes."""
        if signal is None:
            return
        validate_abort_signal(signal, "options.signal")
        if signal.aborted:
            _runtime.next_tick(self.close)
            return
        dispose = add_abort_listener(signal, self.close)
        self.once("close", lambda: dispose())

    def _begin(self, cb: Callable[..., Any] | None) -> None:
        """The arguments are valid: forget any earlier listen attempt, add *cb*."""
        if cb is not None:
            self.once("listening", cb)
        self._listening_id += 1
        self._pipe_name = None

    def _listen_tcp(self, host: str, port: int, backlog: int, options: dict[str, Any]) -> None:
        endpoint = _listen.endpoint_for(
            self._reactor,
            host=host,
            port=port,
            backlog=backlog,
            ipv6_only=options.get("ipv6Only") is True,
            reuse_port=options.get("reusePort") is True,
        )
        self._start(endpoint, host, port)

    def _lookup_and_listen(
        self, host: str, port: int, backlog: int, options: dict[str, Any]
    ) -> None:
        """Node's ``lookupAndListen``: ``dns.lookup`` first, even for an IP literal (whose
        answer comes on the next tick), so ``listening`` is False when ``listen()`` returns."""
        listening_id = self._listening_id
        if self._refd:
            _runtime.hold(self)  # the pending lookup keeps a Node process alive too

        def on_lookup(err: BaseException | None, addresses: Any = None) -> None:
            if listening_id != self._listening_id:
                return
            if err is not None:
                _runtime.release(self)
                self.emit("error", err)
                return
            chosen = next(
                (a for a in addresses if not a["address"].lower().startswith("fe80:")),
                addresses[0],
            )
            self._listen_tcp(chosen["address"], port, backlog, options)

        if isIP(host):
            family = "IPv6" if ":" in host else "IPv4"
            _runtime.next_tick(on_lookup, None, [{"address": host, "family": family}])
            return
        default_lookup(self._reactor)(host, {"all": True}, on_lookup)

    def _listen_path(
        self, path: str, backlog: int, readable_all: bool = False, writable_all: bool = False
    ) -> None:
        self._pipe_name = path
        # The bytes libuv binds: JavaScript's UTF-8 (a lone surrogate is U+FFFD).
        fs_path = encode(path)
        if len(fs_path) >= _listen.UNIX_PATH_MAX or b"\0" in fs_path[1:]:
            # libuv refuses a path that does not fit in sun_path, or holds a NUL after its
            # first byte (Node 24: EINVAL); Python would bind the part before the NUL.
            error = system_error("EINVAL", "listen", path, None, detailed=True)
            error.port = -1
            self._fail(error)
            return
        endpoint = _listen.endpoint_for(
            self._reactor,
            path=fs_path,
            backlog=backlog,
            readable_all=readable_all,
            writable_all=writable_all,
        )
        self._start(endpoint, path, -1)

    def _handle_endpoint(self, handle: Any, backlog: int) -> Any:
        """The endpoint for ``listen(handle)``: a Twisted endpoint as it is, or a duplicate
        of the listening descriptor of a listening Server or a connected Socket; None for
        anything else (the caller reads it as options, as Node does)."""
        if _listen.is_server_endpoint(handle):
            return handle
        fileno = None
        if isinstance(handle, Server) and handle.listening:
            fileno = handle._port.fileno()
        elif isinstance(handle, Socket) and handle._handle is not None:
            fileno = handle._handle.fileno()
        if fileno is None:
            return None
        return _listen.endpoint_for(self._reactor, fd=fileno, backlog=backlog)

    def _start(self, endpoint: Any, host: str | None, port: int | None) -> None:
        """Listen through *endpoint*: ``'listening'`` or ``'error'`` on a later tick."""
        listening_id = self._listening_id
        placeholder = _Opening()
        self._port = placeholder
        if self._refd:
            _runtime.hold(self)
        starting = True

        def listening(port_: IListeningPort) -> None:
            if listening_id != self._listening_id or self._port is not placeholder:
                port_.stopListening()
                return
            self._port = port_
            _runtime.deliver(starting, self._emit_listening, listening_id)

        def failed(failure: Failure) -> None:
            if self._port is placeholder:
                self._port = None
                _runtime.release(self)
            if listening_id != self._listening_id:
                return
            error = _listen_error(failure, host, port)
            _runtime.deliver(starting, self.emit, "error", error)

        d: Deferred[IListeningPort] = endpoint.listen(self._factory)
        d.addCallbacks(listening, failed)
        starting = False

    def _fail(self, error: BaseException) -> None:
        _runtime.next_tick(self.emit, "error", error)

    def _emit_listening(self, listening_id: int) -> None:
        if listening_id == self._listening_id and self.listening:
            self.emit("listening")

    # -- connections ------------------------------------------------------------------

    def _accept(self, addr: Any) -> TCPHandle | None:
        if self._port is None:
            return None
        limit = self._maxConnections
        # Node compares with any value it was given (`>=` reads 'x' as NaN: no limit).
        if limit is not None and self._connections >= to_number(limit):
            host = self._port.getHost() if hasattr(self._port, "getHost") else None
            local: dict[str, Any] = address_info(host) or {}
            remote: dict[str, Any] = address_info(addr) or {}
            self.emit(
                "drop",
                {
                    "localAddress": local.get("address"),
                    "localPort": local.get("port"),
                    "localFamily": local.get("family"),
                    "remoteAddress": remote.get("address"),
                    "remotePort": remote.get("port"),
                    "remoteFamily": remote.get("family"),
                },
            )
            return None
        if isinstance(addr, (IPv4Address, IPv6Address)):
            family = 6 if isinstance(addr, IPv6Address) else 4
            if is_blocked(self._blockList, addr.host, family):
                return None  # Twisted closes the accepted descriptor at once
        options: dict[str, Any] = {"allowHalfOpen": self._allowHalfOpen}
        if self._highWaterMark is not None:
            options["highWaterMark"] = self._highWaterMark
        try:
            socket = Socket(options, reactor=self._reactor)
        except NodeError:
            # Node: the accepted socket's constructor throws (a highWaterMark of NaN, 1.5...)
            # out of onconnection, an uncaught exception; the connection is not kept.
            _runtime.report_uncaught(Failure())
            return None
        socket._no_delay = self._noDelay
        socket._keep_alive = KeepAlive(bool(self._keepAlive), self._keepAliveInitialDelay)
        socket._pause_on_create = self._pauseOnConnect
        socket._server = self
        socket.server = self
        _runtime.hold(socket)
        self._connections += 1
        return _AcceptedProtocol(socket, self)

    def _connection_closed(self) -> None:
        self._connections -= 1
        if self._port is None and not self._connections:
            self._emit_close_if_drained()

    def _emit_close_if_drained(self) -> None:
        """Node's ``_emitCloseIfDrained``: ``'close'`` on the next tick once the server stopped
        listening and has no connection left, for each call that finds it so (two
        ``close()`` calls, two ``'close'`` events). twnet also waits for Twisted to have
        really closed the listening socket."""
        if self._port is not None or self._connections:
            return
        if self._closing:
            self._close_owed += 1
            return
        owed, self._close_owed = max(1, self._close_owed), 0
        for _ in range(owed):
            _runtime.next_tick(self.emit, "close")

    # -- closing ----------------------------------------------------------------------

    def close(self, callback: Callable[..., Any] | None = None) -> Server:
        """Stop accepting connections now; existing ones stay open. ``'close'`` follows once
        they have all closed. *callback* runs on ``'close'``; with ``ERR_SERVER_NOT_RUNNING``
        when the server was not listening. A *callback* that is no function is ignored, as
        in Node."""
        self._listening_id += 1
        if is_function(callback):
            if self._port is None:
                self.once("close", lambda: callback(make_error("ERR_SERVER_NOT_RUNNING")))
            else:
                self.once("close", callback)
        port, self._port = self._port, None
        _runtime.release(self)  # also ends a pending lookup's hold
        if port is not None and not isinstance(port, _Opening):
            stopped = port.stopListening()
            if isinstance(stopped, Deferred):
                self._closing.append(stopped)

                def done(_: object) -> None:
                    self._closing.remove(stopped)
                    _runtime.dispatch(self._emit_close_if_drained)

                stopped.addBoth(done)
        self._emit_close_if_drained()
        return self

    # -- properties -------------------------------------------------------------------

    @property
    def listening(self) -> bool:
        """Whether the server is listening for connections."""
        return self._port is not None and not isinstance(self._port, _Opening)

    def address(self) -> AddressInfo | str | None:
        """``{'port', 'family', 'address'}`` as bound (``server.address().port``), the path of
        a UNIX server (also once closed, as in Node), or None when not listening."""
        port = self._port
        if port is not None and self._pipe_name is not None:
            return self._pipe_name  # Node's _pipeName: the path as given
        if port is not None and not isinstance(port, _Opening):
            info = address_info(port.getHost())
            if info is not None:
                return info
            name = getattr(port.getHost(), "name", None)
            if name is not None:
                return os.fsdecode(name)
        # As Node: a UNIX server's path stays its address once closed (or failed).
        return self._pipe_name

    @property
    def connections(self) -> int:
        """Deprecated in Node: use :meth:`getConnections`. The number of open connections."""
        warnings.warn(
            "Server.connections is deprecated. Use Server.getConnections instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._connections

    def getConnections(self, callback: Callable[..., Any]) -> Server:
        """Call ``callback(None, count)`` on the next tick with the number of connections."""
        validate_function(callback, "callback")
        _runtime.next_tick(callback, None, self._connections)
        return self

    def ref(self) -> Server:
        """Let this server keep ``twnet.run()`` alive again (the default)."""
        self._refd = True
        if self._port is not None:
            _runtime.hold(self)
        return self

    def unref(self) -> Server:
        """Let ``twnet.run()`` end even while this server listens."""
        self._refd = False
        _runtime.release(self)
        return self

    async def __aenter__(self) -> Server:
        return self

    async def __aexit__(self, *exc: object) -> None:
        """``async with`` closes the server at the end (Node's ``Symbol.asyncDispose``)."""
        if self._port is not None:
            closed: Deferred[None] = Deferred()
            self.close(lambda *_: closed.callback(None))
            await closed

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        allow_half_open = allowHalfOpen
        block_list = blockList
        get_connections = getConnections
        high_water_mark = highWaterMark
        keep_alive = keepAlive
        keep_alive_initial_delay = keepAliveInitialDelay
        max_connections = maxConnections
        no_delay = noDelay
        pause_on_connect = pauseOnConnect


def _merge_keywords(args: tuple[Any, ...], keywords: dict[str, Any]) -> tuple[Any, ...]:
    """``listen(port=0, host='::1')`` is ``listen({'port': 0, 'host': '::1'})``; keywords
    also complete an options dict or a port given positionally."""
    if not args or callable(args[0]):
        return (keywords, *args)
    if isinstance(args[0], dict):
        return ({**args[0], **keywords}, *args[1:])
    if isinstance(args[0], (int, float)) and not isinstance(args[0], bool):
        return ({"port": args[0], **keywords}, *args[1:])
    if isinstance(args[0], str) and "path" not in keywords and "port" not in keywords:
        key = "path" if is_pipe_name(args[0]) else "port"
        return ({key: args[0], **keywords}, *args[1:])
    return args


def _backlog(value: object) -> int:
    """Node passes ``backlog || 511`` to libuv as an Int32 (``value | 0``: NaN, infinities
    and what is no number are 0, a string is read as ``Number()`` reads it)."""
    return to_int32(value) if js_truthy(value) else 511


def _listen_error(failure: Failure, host: str | None, port: int | None) -> BaseException:
    """Node's listen error: ``listen EADDRINUSE: address already in use 127.0.0.1:8124``;
    the port appears in the message only when it is above 0, a UNIX path's is -1."""
    shown = port if port is not None and port > 0 else None
    error = translate(failure, "listen", host, shown, default="EADDRINUSE", detailed=True)
    if port == -1 and isinstance(error, NodeSystemError):
        if error.code == "ENOENT":
            # libuv reports a UNIX path in a missing directory as EACCES (uv_pipe_bind).
            return system_error("EACCES", "listen", host, -1, detailed=True)
        error.port = -1
    return error


class _Opening:
    """Stands for the port while an endpoint's ``listen`` is under way."""


class _AcceptedProtocol(TCPHandle):
    """A server-side connection: emits the server's ``'connection'`` once connected."""

    __slots__ = ("server_ref",)

    def __init__(self, socket: Socket, server: Server) -> None:
        super().__init__(socket)
        self.server_ref = server

    def _connected(self) -> None:
        super()._connected()
        if _runtime.in_user_call():
            # Accepted inside the user's own call (a synchronous endpoint): later, as Node.
            _runtime.next_tick(self.server_ref.emit, "connection", self.owner)
        else:
            self.server_ref.emit("connection", self.owner)
