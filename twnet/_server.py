"""``net.Server``: Node's TCP / UNIX server over a Twisted listening port."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IListeningPort
from twisted.python.failure import Failure

from twnet import _listen, _runtime
from twnet._address import (
    AddressInfo,
    is_pipe_name,
    normalize_args,
    to_number,
    validate_port,
)
from twnet._connect import default_lookup
from twnet._errors import invalid_arg_type, make_error, system_error, translate
from twnet._events import EventEmitter
from twnet._isip import isIP
from twnet._naming import options as camel_options
from twnet._protocol import ServerFactory, SocketProtocol
from twnet._socket import Socket, _address_info

__all__ = ["Server"]


class Server(EventEmitter):
    """Node's ``net.Server``: accepts TCP or UNIX connections as :class:`~twnet.Socket`\\ s.

    Events: ``'listening'``, ``'connection'`` (the socket), ``'drop'`` (a connection refused
    over ``maxConnections``, with its addresses), ``'error'``, ``'close'`` (once the server
    stopped listening and every connection it accepted has closed).

    ``options``: ``allowHalfOpen``, ``pauseOnConnect``, ``noDelay``, ``keepAlive``,
    ``keepAliveInitialDelay``, ``highWaterMark``; ``connectionListener`` becomes a
    ``'connection'`` listener; keyword-only ``reactor``.
    """

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
        if callable(options):
            connectionListener, options = options, None
        elif options is not None and not isinstance(options, dict):
            raise invalid_arg_type("options", "Object", options)
        opts = camel_options(options, **kwargs)
        if connectionListener is not None:
            self.on("connection", connectionListener)
        delay = opts.get("keepAliveInitialDelay")
        if delay is not None:
            if isinstance(delay, bool) or not isinstance(delay, (int, float)):
                raise invalid_arg_type("options.keepAliveInitialDelay", "number", delay)
            delay = max(0, delay)
        hwm = opts.get("highWaterMark")
        if hwm is not None and (isinstance(hwm, bool) or not isinstance(hwm, (int, float))):
            raise invalid_arg_type("options.highWaterMark", "number", hwm)
        self._reactor = _runtime.get_reactor(reactor)
        #: Accepted sockets keep their side open after the peer's FIN.
        self.allowHalfOpen: bool = bool(opts.get("allowHalfOpen"))
        #: Accepted sockets read nothing until ``resume()``.
        self.pauseOnConnect: bool = bool(opts.get("pauseOnConnect"))
        #: Accepted sockets get ``setNoDelay(True)``.
        self.noDelay: bool = bool(opts.get("noDelay"))
        #: Accepted sockets get ``setKeepAlive(True, keepAliveInitialDelay)``.
        self.keepAlive: bool = bool(opts.get("keepAlive"))
        #: Seconds (Node keeps ``~~(ms / 1000)``).
        self.keepAliveInitialDelay: int = int((delay or 0) // 1000)
        self.highWaterMark: int | None = int(hwm) if hwm is not None and hwm >= 0 else None
        #: Refuse connections beyond this many (``None``: no limit); refused ones emit
        #: ``'drop'``.
        self.maxConnections: int | None = None
        self._port: Any = None
        self._pipe_name: str | None = None
        self._connections = 0
        self._listening_id = 0
        self._closing: list[Deferred[Any]] = []
        self._refd = True
        self._factory = ServerFactory(self)

    # -- listening --------------------------------------------------------------------

    def listen(self, *args: Any, **kwargs: Any) -> Server:
        """Start accepting connections; ``'listening'`` follows asynchronously.

        Forms: ``listen([port][, host][, backlog][, cb])``, ``listen(path[, backlog][, cb])``,
        ``listen(options[, cb])`` (``port``, ``host``, ``backlog``, ``path``, ``exclusive``,
        ``ipv6Only``, ``reusePort``, ``fd``), ``listen(handle[, backlog][, cb])`` with a
        Server, a Socket or ``{'fd': n}``, and ``listen(endpoint[, cb])`` with any Twisted
        ``IStreamServerEndpoint``. No host: ``::`` dual-stack when the machine has IPv6, else
        ``0.0.0.0``. ``exclusive`` is accepted: every twnet server owns its handle.
        """
        options, cb = normalize_args(args)
        if kwargs:
            options.update(camel_options(None, **kwargs))
        if self._port is not None:
            raise make_error("ERR_SERVER_ALREADY_LISTEN")
        if cb is not None:
            self.once("listening", cb)
        backlog_arg = (to_number(args[1]) if len(args) > 1 else None) or (
            to_number(args[2]) if len(args) > 2 else None
        )
        self._listening_id += 1
        handle = options.get("handle") or options.get("_handle") or options.get("endpoint")
        if handle is not None:
            self._listen_handle(handle, backlog_arg)
            return self
        fd = options.get("fd")
        if isinstance(fd, int) and not isinstance(fd, bool) and fd >= 0:
            self._start(_listen.endpoint_for(self._reactor, fd=fd), None, None)
            return self
        no_port = not args or callable(args[0]) or args[0] is None
        if no_port or ("port" in options and options["port"] is None):
            options["port"] = 0
        backlog = int(options.get("backlog") or backlog_arg or 511)
        port = options.get("port")
        if isinstance(port, (int, float, str)) and not isinstance(port, bool):
            number = validate_port(port, "options.port")
            host = options.get("host")
            if host:
                self._lookup_and_listen(str(host), number, backlog, options)
            else:
                host = "::" if _listen.has_ipv6() else "0.0.0.0"
                self._listen_tcp(host, number, backlog, options)
            return self
        path = options.get("path")
        if path and is_pipe_name(path):
            self._listen_path(path, backlog)
            return self
        if "port" not in options and "path" not in options:
            raise make_error(
                "ERR_INVALID_ARG_VALUE",
                "options",
                options,
                'must have the property "port" or "path"',
            )
        raise make_error("ERR_INVALID_ARG_VALUE", "options", options)

    def _listen_tcp(self, host: str, port: int, backlog: int, options: dict[str, Any]) -> None:
        endpoint = _listen.endpoint_for(
            self._reactor,
            host=host,
            port=port,
            backlog=backlog,
            ipv6_only=bool(options.get("ipv6Only")),
            reuse_port=bool(options.get("reusePort")),
        )
        self._start(endpoint, host, port)

    def _lookup_and_listen(
        self, host: str, port: int, backlog: int, options: dict[str, Any]
    ) -> None:
        if isIP(host):
            self._listen_tcp(host, port, backlog, options)
            return
        listening_id = self._listening_id

        def on_lookup(err: BaseException | None, addresses: Any = None) -> None:
            if listening_id != self._listening_id:
                return
            if err is not None:
                self.emit("error", err)
                return
            chosen = next(
                (a for a in addresses if not a["address"].lower().startswith("fe80")),
                addresses[0],
            )
            self._listen_tcp(chosen["address"], port, backlog, options)

        default_lookup(self._reactor)(host, {"all": True}, on_lookup)

    def _listen_path(self, path: str, backlog: int) -> None:
        self._pipe_name = path
        if len(os.fsencode(path)) >= _listen.UNIX_PATH_MAX:
            self._fail(system_error("EINVAL", "listen", path, -1, detailed=True))
            return
        self._start(_listen.endpoint_for(self._reactor, path=path, backlog=backlog), path, -1)

    def _listen_handle(self, handle: Any, backlog: float | None) -> None:
        if _listen.is_server_endpoint(handle):
            self._start(handle, None, None)
            return
        fileno = None
        if isinstance(handle, Server) and handle._port is not None:
            fileno = handle._port.fileno()
        elif isinstance(handle, Socket) and handle._transport is not None:
            fileno = handle._transport.fileno()
        elif isinstance(handle, dict) and isinstance(handle.get("fd"), int):
            fileno = handle["fd"]
        if fileno is None:
            raise make_error("ERR_INVALID_ARG_VALUE", "options", handle)
        self._start(_listen.endpoint_for(self._reactor, fd=fileno), None, None)

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
            if starting:
                _runtime.next_tick(self._emit_listening, listening_id)
            else:
                _runtime.dispatch(self._emit_listening, listening_id)

        def failed(failure: Failure) -> None:
            if self._port is placeholder:
                self._port = None
                _runtime.release(self)
            if listening_id != self._listening_id:
                return
            error = translate(failure, "listen", host, port, default="EADDRINUSE", detailed=True)
            if starting:
                _runtime.next_tick(self.emit, "error", error)
            else:
                _runtime.dispatch(self.emit, "error", error)

        d: Deferred[IListeningPort] = endpoint.listen(self._factory)
        d.addCallbacks(listening, failed)
        starting = False

    def _fail(self, error: BaseException) -> None:
        _runtime.next_tick(self.emit, "error", error)

    def _emit_listening(self, listening_id: int) -> None:
        if listening_id == self._listening_id and self.listening:
            self.emit("listening")

    # -- connections ------------------------------------------------------------------

    def _accept(self, addr: Any) -> SocketProtocol | None:
        if self._port is None:
            return None
        limit = self.maxConnections
        if limit is not None and self._connections >= limit:
            host = self._port.getHost() if hasattr(self._port, "getHost") else None
            local: dict[str, Any] = _address_info(host) or {}
            remote: dict[str, Any] = _address_info(addr) or {}
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
        options: dict[str, Any] = {"allowHalfOpen": self.allowHalfOpen}
        if self.highWaterMark is not None:
            options["highWaterMark"] = self.highWaterMark
        socket = Socket(options, reactor=self._reactor)
        socket._no_delay = self.noDelay
        socket._keep_alive = self.keepAlive
        socket._keep_alive_delay = self.keepAliveInitialDelay
        socket._pause_on_create = self.pauseOnConnect
        socket._server = self
        socket.server = self
        _runtime.hold(socket)
        self._connections += 1
        return _AcceptedProtocol(socket, self)

    def _connection_closed(self) -> None:
        self._connections -= 1
        self._emit_close_if_drained()

    def _emit_close_if_drained(self) -> None:
        if self._port is not None or self._connections or self._closing:
            return
        _runtime.next_tick(self.emit, "close")

    # -- closing ----------------------------------------------------------------------

    def close(self, callback: Callable[..., Any] | None = None) -> Server:
        """Stop accepting connections now; existing ones stay open. ``'close'`` follows once
        they have all closed. *callback* runs on ``'close'``; with ``ERR_SERVER_NOT_RUNNING``
        when the server was not listening."""
        self._listening_id += 1
        if callback is not None:
            if self._port is None:
                self.once("close", lambda: callback(make_error("ERR_SERVER_NOT_RUNNING")))
            else:
                self.once("close", callback)
        port, self._port = self._port, None
        if port is not None:
            _runtime.release(self)
            if not isinstance(port, _Opening):
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
        a UNIX server, or None before listening."""
        port = self._port
        if port is not None and not isinstance(port, _Opening):
            info = _address_info(port.getHost())
            if info is not None:
                return info
            name = getattr(port.getHost(), "name", None)
            if name is not None:
                return os.fsdecode(name)
        return self._pipe_name if port is not None else None

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
        if not callable(callback):
            raise invalid_arg_type("callback", "function", callback)
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


class _Opening:
    """Stands for the port while an endpoint's ``listen`` is under way."""


class _AcceptedProtocol(SocketProtocol):
    """A server-side connection: emits the server's ``'connection'`` once connected."""

    __slots__ = ("server_ref",)

    def __init__(self, socket: Socket, server: Server) -> None:
        super().__init__(socket)
        self.server_ref = server

    def connectionMade(self) -> None:
        def made() -> None:
            self.socket._on_transport(self.transport)
            self.server_ref.emit("connection", self.socket)

        _runtime.dispatch(made)
