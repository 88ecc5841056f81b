"""``net.Server``: Node's TCP / UNIX server over a Twisted listening port."""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, overload

from twnet import _listen, _runtime
from twnet._abort import add_abort_listener, validate_abort_signal
from twnet._address import AddressInfo, ServerEndpoint
from twnet._aio import AwaitableServerMixin
from twnet._blocklist import BlockList, block_list_option, is_blocked
from twnet._callables import call
from twnet._dns import default_lookup
from twnet._encoding import encode
from twnet._errors import NodeError, invalid_arg_type, make_error, system_error
from twnet._events import EventEmitter
from twnet._isip import isIP
from twnet._naming import options as camel_options
from twnet._rejections import ServerRejection
from twnet._requests import ListenRequest, listen_request
from twnet._socket import Socket
from twnet._validators import (
    is_function,
    js_truthy,
    to_int32,
    to_number,
    validate_function,
    validate_number,
)

__all__ = ["Server", "ServerState"]


class ServerState(enum.Enum):
    """A server's life: ``IDLE`` (not listening: new, closed, failed, or looking its host
    up), ``OPENING`` (an endpoint's ``listen`` is under way; ``listen()`` again is
    ``ERR_SERVER_ALREADY_LISTEN``), ``LISTENING``."""

    IDLE = "idle"
    OPENING = "opening"
    LISTENING = "listening"


def _setting(name: str, doc: str) -> Any:
    """A read-write property over ``self._<name>`` (a plain attribute would get no
    snake_case twin: twins are made for what the class defines)."""
    slot = "_" + name

    def get(self: Server) -> Any:
        return getattr(self, slot)

    def set_(self: Server, value: Any) -> None:
        setattr(self, slot, value)

    return property(get, set_, doc=doc)


class Server(AwaitableServerMixin, ServerRejection, EventEmitter):
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
    #: The class of accepted sockets (a TLS server's are TLS sockets).
    _socket_class: type[Socket] = Socket

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
        self._state = ServerState.IDLE
        self._listener: _listen.Listener | None = None  # while LISTENING
        self._pipe_name: str | None = None
        self._connections = 0
        self._listening_id = 0
        self._closing = 0  # listeners closing (Twisted has not closed their socket yet)
        self._close_owed = 0
        self._refd = True
        self._factory = _listen.AcceptFactory(self)

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

    @overload
    def listen(
        self,
        port: int | None = None,
        host: str | None = None,
        backlog: int | None = None,
        callback: Callable[[], object] | None = None,
        /,
        **kwargs: Any,
    ) -> Server: ...
    @overload
    def listen(
        self, port: int | None, host: str | None, callback: Callable[[], object], /, **kwargs: Any
    ) -> Server: ...
    @overload
    def listen(
        self, port: int | None, callback: Callable[[], object], /, **kwargs: Any
    ) -> Server: ...
    @overload
    def listen(self, callback: Callable[[], object], /, **kwargs: Any) -> Server: ...
    @overload
    def listen(
        self,
        target: str | Mapping[str, Any] | Server | Socket | ServerEndpoint,
        backlog: int | None = None,
        callback: Callable[[], object] | None = None,
        /,
        **kwargs: Any,
    ) -> Server: ...
    @overload
    def listen(
        self,
        target: str | Mapping[str, Any] | Server | Socket | ServerEndpoint,
        callback: Callable[[], object],
        /,
        **kwargs: Any,
    ) -> Server: ...
    def listen(self, /, *args: Any, **kwargs: Any) -> Server:
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
        request = listen_request(
            args,
            kwargs,
            listening=self._state is not ServerState.IDLE,
            handle_endpoint=self._handle_endpoint,
            abort_on=self._abort_on,
        )
        self._begin(request.callback)
        if request.endpoint is not None:
            self._start(request.endpoint, None, None)
        elif request.fd is not None:
            endpoint = _listen.endpoint_for(self._reactor, fd=request.fd, backlog=request.backlog)
            self._start(endpoint, None, None)
        elif request.port is not None:
            if request.host is not None:
                self._lookup_and_listen(request.host, request)
            else:
                self._listen_tcp(request.default_host, request)
        else:
            assert request.path is not None
            self._listen_path(request.path, request)
        return self

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

    def _listen_tcp(self, host: str, request: ListenRequest) -> None:
        assert request.port is not None
        endpoint = _listen.endpoint_for(
            self._reactor,
            host=host,
            port=request.port,
            backlog=request.backlog,
            ipv6_only=request.ipv6_only,
            reuse_port=request.reuse_port,
        )
        self._start(endpoint, host, request.port)

    def _lookup_and_listen(self, host: str, request: ListenRequest) -> None:
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
            self._listen_tcp(chosen["address"], request)

        if isIP(host):
            family = "IPv6" if ":" in host else "IPv4"
            _runtime.next_tick(on_lookup, None, [{"address": host, "family": family}])
            return
        default_lookup(self._reactor)(host, {"all": True}, on_lookup)

    def _listen_path(self, path: str, request: ListenRequest) -> None:
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
            backlog=request.backlog,
            readable_all=request.readable_all,
            writable_all=request.writable_all,
        )
        self._start(endpoint, path, -1)

    def _handle_endpoint(self, handle: Any, backlog: int) -> Any:
        """The endpoint for ``listen(handle)``: a Twisted endpoint as it is, or a duplicate
        of the listening descriptor of a listening Server or a connected Socket; None for
        anything else (the caller reads it as options, as Node does)."""
        if _listen.is_server_endpoint(handle):
            return handle
        fileno = None
        if isinstance(handle, Server) and handle._listener is not None:
            fileno = handle._listener.fileno()
        elif isinstance(handle, Socket) and handle._handle is not None:
            fileno = handle._handle.fileno()
        if fileno is None:
            return None
        return _listen.endpoint_for(self._reactor, fd=fileno, backlog=backlog)

    def _start(self, endpoint: Any, host: str | None, port: int | None) -> None:
        """Listen through *endpoint*: ``'listening'`` or ``'error'`` on a later tick."""
        listening_id = self._listening_id
        self._state = ServerState.OPENING
        if self._refd:
            _runtime.hold(self)

        def opened(listener: _listen.Listener, synchronous: bool) -> None:
            if listening_id != self._listening_id or self._state is not ServerState.OPENING:
                listener.close(lambda: None)
                return
            self._state, self._listener = ServerState.LISTENING, listener
            _runtime.deliver(synchronous, self._emit_listening, listening_id)

        def failed(failure: _listen.ListenFailure, synchronous: bool) -> None:
            if self._state is ServerState.OPENING and listening_id == self._listening_id:
                self._state = ServerState.IDLE
                _runtime.release(self)
            if listening_id != self._listening_id:
                return
            _runtime.deliver(synchronous, self.emit, "error", failure.error(host, port))

        _listen.open_port(endpoint, self._factory, opened, failed)

    def _fail(self, error: BaseException) -> None:
        _runtime.next_tick(self.emit, "error", error)

    def _emit_listening(self, listening_id: int) -> None:
        if listening_id == self._listening_id and self.listening:
            self.emit("listening")

    # -- connections ------------------------------------------------------------------

    def _accept(self, peer: AddressInfo | None) -> Socket | None:
        """A connection from *peer* (an IP peer's address, else None) arrived: the Socket
        for it, or None to close it at once (over ``maxConnections``: ``'drop'``; a peer
        the ``blockList`` blocks)."""
        if self._state is ServerState.IDLE:
            return None
        limit = self._maxConnections
        # Node compares with any value it was given (`>=` reads 'x' as NaN: no limit).
        if limit is not None and self._connections >= to_number(limit):
            listener = self._listener
            local: dict[str, Any] = (listener.ip_address() if listener else None) or {}
            remote: dict[str, Any] = peer or {}
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
        if peer is not None:
            family = 6 if peer["family"] == "IPv6" else 4
            if is_blocked(self._blockList, peer["address"], family):
                return None  # Twisted closes the accepted descriptor at once
        # As Node's onconnection: the socket's options through its constructor, then
        # noDelay / keepAlive as the server has them.
        options: dict[str, Any] = {"allowHalfOpen": self._allowHalfOpen}
        if self._pauseOnConnect:
            options["pauseOnCreate"] = True
        if self._highWaterMark is not None:
            options["highWaterMark"] = self._highWaterMark
        try:
            socket = self._socket_class(options, reactor=self._reactor)
        except NodeError:
            # Node: the accepted socket's constructor throws (a highWaterMark of NaN, 1.5...)
            # out of onconnection, an uncaught exception; the connection is not kept.
            _runtime.report_current()
            return None
        if self._noDelay:
            socket.setNoDelay(True)
        if self._keepAlive:
            socket.setKeepAlive(True, self._keepAliveInitialDelay * 1000)
        socket.server = self
        socket._server = self
        _runtime.hold(socket)
        self._connections += 1
        return socket

    def _on_connection(self, socket: Socket) -> None:
        """The accepted *socket* is connected: ``'connection'``."""
        if _runtime.in_user_call():
            # Accepted inside the user's own call (a synchronous endpoint): later, as Node.
            _runtime.next_tick(self.emit, "connection", socket)
        else:
            self.emit("connection", socket)

    def _connection_closed(self) -> None:
        self._connections -= 1
        if self._state is ServerState.IDLE and not self._connections:
            self._emit_close_if_drained()

    def _emit_close_if_drained(self) -> None:
        """Node's ``_emitCloseIfDrained``: ``'close'`` on the next tick once the server stopped
        listening and has no connection left, for each call that finds it so (two
        ``close()`` calls, two ``'close'`` events). twnet also waits for Twisted to have
        really closed the listening socket."""
        if self._state is not ServerState.IDLE or self._connections:
            return
        if self._closing:
            self._close_owed += 1
            return
        owed, self._close_owed = max(1, self._close_owed), 0
        for _ in range(owed):
            _runtime.next_tick(self.emit, "close")

    # -- closing ----------------------------------------------------------------------

    def close(
        self,
        callback: Callable[[BaseException | None], object] | Callable[[], object] | None = None,
    ) -> Server:
        """Stop accepting connections now; existing ones stay open. ``'close'`` follows once
        they have all closed. *callback* runs on ``'close'``; with ``ERR_SERVER_NOT_RUNNING``
        when the server was not listening. A *callback* that is no function is ignored, as
        in Node."""
        self._listening_id += 1
        if is_function(callback):
            if self._state is ServerState.IDLE:
                self.once("close", lambda: call(callback, make_error("ERR_SERVER_NOT_RUNNING")))
            else:
                self.once("close", callback)
        listener, self._listener = self._listener, None
        self._state = ServerState.IDLE
        _runtime.release(self)  # also ends a pending lookup's hold
        if listener is not None:
            self._closing += 1
            if not listener.close(self._listener_closed):
                self._closing -= 1
        self._emit_close_if_drained()
        return self

    def _listener_closed(self) -> None:
        self._closing -= 1
        self._emit_close_if_drained()

    # -- properties -------------------------------------------------------------------

    @property
    def _port(self) -> Any:
        """The Twisted listening port while listening, else None."""
        return self._listener.port if self._listener is not None else None

    @property
    def listening(self) -> bool:
        """Whether the server is listening for connections."""
        return self._state is ServerState.LISTENING

    def address(self) -> AddressInfo | str | None:
        """``{'port', 'family', 'address'}`` as bound (``server.address().port``), the path of
        a UNIX server (also once closed, as in Node), or None when not listening."""
        if self._state is not ServerState.IDLE and self._pipe_name is not None:
            return self._pipe_name  # Node's _pipeName: the path as given
        if self._listener is not None:
            address = self._listener.address()
            if address is not None:
                return address
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

    def getConnections(self, callback: Callable[[BaseException | None, int], object]) -> Server:
        """Call ``callback(None, count)`` on the next tick with the number of connections."""
        validate_function(callback, "callback")
        _runtime.next_tick(call, callback, None, self._connections)
        return self

    def ref(self) -> Server:
        """Let this server keep ``twnet.run()`` alive again (the default)."""
        self._refd = True
        if self._state is not ServerState.IDLE:
            _runtime.hold(self)
        return self

    def unref(self) -> Server:
        """Let ``twnet.run()`` end even while this server listens."""
        self._refd = False
        _runtime.release(self)
        return self

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
