"""``net.Socket``: Node's TCP / UNIX socket, a Duplex stream over a handle (a Twisted
connection: ``twnet._tcp_handle``; in memory: ``twnet._memory_handle``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, overload

from twnet import _connect, _runtime
from twnet._abort import add_abort_signal
from twnet._address import ClientEndpoint
from twnet._aio import AwaitableSocketMixin
from twnet._blocklist import BlockList, block_list_option
from twnet._callables import call
from twnet._errors import make_error, system_error
from twnet._fd import adopt_fd
from twnet._handle import ConnectionLoss, Handle
from twnet._keepalive import KeepAlive, seconds
from twnet._naming import options as camel_options
from twnet._onread import install, onread_option
from twnet._requests import connect_request
from twnet._socket_options import SocketOptions, refuse_object_mode
from twnet._socket_state import SocketState
from twnet._socket_timeout import SocketTimeout
from twnet._streams import Completion, Duplex
from twnet._tos import validate_tos, write_tos
from twnet._twisted_access import TransportAccess
from twnet._validators import (
    is_function,
    is_number,
    js_truthy,
    validate_abort_signal,
    validate_number,
)

if TYPE_CHECKING:
    from twnet._server import Server

__all__ = ["Socket"]


class Socket(AwaitableSocketMixin, TransportAccess, SocketTimeout, SocketOptions, SocketState):
    """Node's ``net.Socket``: a TCP or UNIX socket, client or accepted by a Server.

    A Duplex stream: ``'data'`` delivers ``bytes`` (``str`` after ``setEncoding``),
    ``write()`` returns False once ``writableHighWaterMark`` bytes wait, ``'drain'`` follows.
    Events: ``'lookup'``, ``'connectionAttempt'``, ``'connectionAttemptFailed'``,
    ``'connectionAttemptTimeout'``, ``'connect'``, ``'ready'``, ``'data'``, ``'drain'``,
    ``'end'``, ``'finish'``, ``'timeout'``, ``'error'``, ``'close'`` (always with
    ``had_error``: where Node passes nothing, twnet passes False).

    ``options``: ``fd`` (adopt a connected descriptor; twnet uses a duplicate and leaves the
    original yours to close), ``allowHalfOpen``, ``readable``, ``writable``, ``timeout``,
    ``noDelay``, ``keepAlive``, ``keepAliveInitialDelay``, ``highWaterMark``,
    ``typeOfService``, ``onread`` (see :doc:`socket`), ``blockList``
    (a :class:`~twnet.BlockList`: connecting to an address it blocks fails with
    ``ERR_IP_BLOCKED``; with ``autoSelectFamily`` a blocked address is a failed attempt and the
    next one is tried)... and the keyword-only ``reactor``.
    """

    # Node's net.Socket passes decodeStrings: false to its Duplex.
    _counts_str_units = True

    def _wrap_client_factory(self, factory: Any) -> Any:
        """The protocol factory a client connection is made with (``TLSSocket`` wraps it in
        Twisted's TLS)."""
        return factory

    __slots__ = (
        "_bytes_dispatched",
        "_bytes_read",
        "_close_loop",
        "_connector",
        "_final_cb",
        "_had_error",
        "_handle",
        "_holding",
        "_keep_alive",
        "_last_active",
        "_no_delay",
        "_onread",
        "_pause_on_create",
        "_peername",
        "_pending",
        "_reactor",
        "_reads",
        "_refd",
        "_resetting",
        "_server",
        "_sockname",
        "_timeout_ms",
        "_timeout_set",
        "_timer",
        "_tos",
        "_waiting_write",
        "_write_shut",
        "autoSelectFamilyAttemptedAddresses",
        "blockList",
        "connecting",
        "server",
    )

    def __init__(
        self,
        options: dict[str, Any] | int | None = None,
        /,
        *,
        reactor: Any = None,
        **kwargs: Any,
    ) -> None:
        if is_number(options):
            options = {"fd": options}  # Node's legacy form
        # Node spreads any other value into its options: a mapping's keys count; a string,
        # a bool, a list name no option.
        opts = camel_options(options if isinstance(options, Mapping) else None, **kwargs)
        refuse_object_mode(opts)
        delay = opts.get("keepAliveInitialDelay")
        if delay is not None:
            delay = max(0.0, validate_number(delay, "options.keepAliveInitialDelay"))
        # As Node: the options go on to the Duplex (encoding, defaultEncoding, the
        # high-water marks...), with these three set by the socket.
        opts["allowHalfOpen"] = js_truthy(opts.get("allowHalfOpen"))
        opts["emitClose"] = False
        opts["autoDestroy"] = True
        self._init_duplex(opts)
        signal = opts.get("signal")
        if js_truthy(signal):  # Node's Duplex constructor checks it (addAbortSignal)
            validate_abort_signal(signal, "signal")
        else:
            signal = None
        self._reactor = reactor if reactor is not None else _runtime.get_reactor()
        self.connecting = False
        self._handle: Handle | None = None
        # Whether the socket had a handle that closed (False), and then the loop (reactor)
        # whose next turn brings its 'close' (None: the tick reactor, a TCP handle's).
        self._close_loop: Any = False
        self._write_shut = False
        self._waiting_write: Completion | None = None
        self._pending = None
        self._final_cb: Completion | None = None
        self._reads = False  # see the _reading property
        self._bytes_read = 0
        self._bytes_dispatched = 0
        self._timeout_ms: float = 0
        self._timeout_set = None
        self._timer = None
        self._last_active = 0.0
        self._no_delay = js_truthy(opts.get("noDelay"))
        self._keep_alive = KeepAlive(js_truthy(opts.get("keepAlive")), seconds(delay or 0))
        self._refd = True
        self._holding = False  # _runtime.hold()
        self._peername = None
        self._sockname = None
        self._had_error = False
        self._resetting = False
        self._connector: _connect.Connector | None = None
        # Node's (undocumented) pauseOnCreate: an accepted socket of a pauseOnConnect server.
        pause_on_create = opts.get("pauseOnCreate")
        self._pause_on_create = pause_on_create is not None and js_truthy(pause_on_create)
        self._server: Any = None
        #: Every ``ip:port`` an ``autoSelectFamily`` connect tried (None, Node's
        #: ``undefined``, until a connect makes more than one attempt).
        self.autoSelectFamilyAttemptedAddresses: list[str] | None = None
        #: The Server that accepted this socket, else None.
        self.server: Server | None = None
        tos = opts.get("typeOfService")
        self._tos = None if tos is None else validate_tos(tos, "options.typeOfService")
        #: The ``blockList`` option: addresses ``connect`` refuses (``ERR_IP_BLOCKED``).
        self.blockList: BlockList | None = block_list_option(opts.get("blockList"))
        # Node's onReadableStreamEnd, its one 'end' listener (the emitter is new and empty).
        self._events["end"] = self._on_readable_end
        self._onread = onread_option(opts.get("onread"))
        if self._onread is not None:
            install(self, self._onread)
        fd = opts.get("fd")
        if fd is not None:
            if self._onread is not None:
                self._onread.start()
            adopt_fd(self, fd, self._reactor)
        if signal is not None:
            # Node's Duplex constructor: aborting destroys the socket with an AbortError (at
            # once when the signal already is aborted; a connect() that follows then starts
            # over, as connect() on any destroyed socket does).
            add_abort_signal(signal, self)

    # -- being connected --------------------------------------------------------------

    # -- what the handle reports (twnet._handle.HandleOwner) -------------------------------

    def on_connect(self, handle: Handle) -> None:
        """The handle is connected: a client's connect completed, a server accepted the
        connection, or an adopted descriptor was taken over (Node's ``afterConnect`` /
        ``onconnection``)."""
        self._handle = handle
        connector, self._connector = self._connector, None
        if connector is not None:
            connector.connected()
        self._reading = True
        if self._no_delay:
            handle.set_no_delay(True)
        if self._keep_alive.enable:
            handle.set_keep_alive(self._keep_alive)
        if self._tos is not None and self.connecting:  # Node: a client's, once connected
            error = write_tos(self._ip_handle(), self._tos)
            if error is not None and getattr(error, "code", None) != "EBADF":
                self.emit("error", error)  # as Node: reported, the connection kept
        if self._onread is not None and self.isPaused():
            # Node starts an onread socket's reading after 'connect' only if not paused.
            self._reading = False
            handle.read_stop()
        if self._pause_on_create:
            handle.read_stop()
            self._reading = False
            self.readableFlowing = False
        elif self.connecting and self.isPaused() and not self._readableState.reading:
            # Node's afterConnect starts reading only when the socket is not paused (or a
            # read() waits for the connection): pause() before the connection opens means
            # nothing is read from the kernel until resume().
            handle.read_stop()
            self._reading = False
        if self.connecting:
            self.connecting = False
            self._sockname = None
            self._touch()
            if _runtime.in_user_call():
                # Connected inside connect() itself (a synchronous endpoint): Node emits
                # 'connect' later, so listeners attached after connect() hear it.
                _runtime.next_tick(self._emit_connect)
            else:
                self._emit_connect()
        if not self._refd:
            _runtime.release(self)
        self._sync_quiet()

    def _emit_connect(self) -> None:
        if not self.destroyed:
            self.emit("connect")
            self.emit("ready")

    def on_read(self, data: bytes) -> None:
        # (An onread socket has its own, an instance attribute: twnet._onread.)
        self._bytes_read += len(data)
        if self._timeout_ms:
            self._touch()
        # The transport goes on reading by itself, so _read() has nothing to do after a chunk:
        # _push_reading is push() without that idle round.
        if not self._push_reading(data) and self._reading:
            self._reading = False
            self._handle.read_stop()  # type: ignore[union-attr]

    # -- liveness (Node: a handle is active while libuv reads it or has requests on it) -----

    @property
    def _reading(self) -> bool:
        """Whether the transport reads from the kernel (libuv's reading state). An open
        socket that does not read holds ``twnet.run()`` only while :meth:`_busy`."""
        return self._reads

    @_reading.setter
    def _reading(self, value: bool) -> None:
        self._reads = value
        self._sync_quiet()

    def _sync_quiet(self) -> None:
        if self._holding:
            _runtime.set_quiet(
                self,
                not self._reads and not self.connecting and self._handle is not None,
            )

    def _busy(self) -> bool:
        """Whether this socket, open but not reading, still holds ``twnet.run()``: as libuv
        holds its loop for a write or shutdown request not yet completed, and for a handle
        that is closing. Here: a write waiting for Twisted's buffer to drain (or for the
        connection), a shutdown under way, or bytes still in the transport's buffer."""
        handle = self._handle
        return (
            self._writableState.writing
            or self._pending is not None
            or self._final_cb is not None
            or (handle is not None and handle.busy())
        )

    def _read(self, size: int) -> None:
        handle = self._handle
        if handle is not None and not self._reading:
            self._reading = True
            handle.read_start()

    def on_eof(self) -> None:
        self._reading = False
        state = self._readableState
        if not state.endEmitted:
            self.push(None)
            if state.length or not state.endScheduled:  # else read(0) would do nothing
                self.read(0)

    def _on_readable_end(self) -> None:
        if not self._allowHalfOpen:
            self.write = self._write_after_fin  # type: ignore[method-assign]

    def _write_after_fin(
        self,
        chunk: Any,
        encoding: str | Callable[..., Any] | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> bool:
        if not self.writableEnded:
            return Duplex.write(self, chunk, encoding, callback)
        if is_function(encoding):
            callback = encoding
        error = system_error(
            "EPIPE", "write", message="This socket has been ended by the other party"
        )
        if is_function(callback):
            _runtime.next_tick(call, callback, error)
        self.destroy(error)
        return False

    def on_shutdown(self) -> None:
        self._write_shut = True
        callback, self._final_cb = self._final_cb, None
        if callback is not None:
            callback()

    def on_writable(self) -> None:
        callback, self._waiting_write = self._waiting_write, None
        if callback is not None:
            callback()

    def on_close(self, loss: ConnectionLoss | None) -> None:
        # Our side was shut down (or its shutdown was under way: Twisted's UNIX transport
        # sends nothing with sendmsg to do it, which fails once the peer is gone).
        shut = self._write_shut or self._final_cb is not None
        # A transport that was not reading (paused at the high-water mark) can only have
        # learnt of the loss from a write: Node's error then comes from write, not read.
        was_reading = self._reading
        self._close_loop = self._handle.loop  # type: ignore[union-attr]
        self._handle = None  # (Node drops its _handle)
        self._reading = False
        if self._waiting_write is not None or self._final_cb is not None:
            self._release_write_waiters()
        if self._writableState.destroyed and self._readableState.destroyed:
            self._emit_close_soon()
            return
        if loss is None or (
            # Both directions were shut down cleanly: whatever the kernel reports as the
            # connection goes away (a UNIX peer's close), Node, which neither reads nor
            # writes again, never sees it.
            shut and self._readableState.ended
        ):
            if not self._readableState.ended:
                self.push(None)
                if not (shut or self._allowHalfOpen or self._writableState.ending):
                    # The peer closed both ways at once, as Twisted's TLS layer does when it
                    # answers a close_notify: Node sees the peer's end and ends its own side,
                    # so the stream's end() after 'end' gives 'finish', then 'close'.
                    return
            elif not self.readableEnded:
                self.push(None)
            self.destroy()
        else:
            peer_ended = self.readableEnded or self._readableState.ended
            if peer_ended:
                error = loss.error("write", "EPIPE")
            elif not was_reading:
                error = loss.error("write", "ECONNRESET")
            else:
                error = loss.error("read", "ECONNRESET")
            self.destroy(error)

    def _release_write_waiters(self) -> None:
        callback, self._waiting_write = self._waiting_write, None
        # Node: a write libuv had not completed when the handle closed; its callback comes
        # after the close call, never inside it.
        if callback is not None:
            _runtime.next_tick(callback, system_error("ECANCELED", "write"))
        # A shutdown under way: the connection going away completes it.
        final, self._final_cb = self._final_cb, None
        if final is not None:
            final()

    # -- the stream hooks -------------------------------------------------------------

    def _write(self, chunk: bytes, encoding: str | None, callback: Completion) -> None:
        handle = self._handle
        if handle is None or self.connecting:
            self._write_chunks([chunk], callback)  # waits for the connection, or fails
            return
        if self._timeout_ms:
            self._touch()
        error = handle.write(chunk)
        if error is not None:
            callback(error)
            return
        self._bytes_dispatched += len(chunk)
        if handle.write_paused:
            self._waiting_write = callback
        else:
            callback()

    def _writev(self, chunks: list[dict[str, Any]], callback: Completion) -> None:
        self._write_chunks([each["chunk"] for each in chunks], callback)

    def _write_chunks(self, chunks: list[bytes], callback: Completion) -> None:
        if self.connecting:
            # Node's _writeGeneric: the write waits in a 'connect' listener added now (so
            # it runs before 'connect' listeners added later) and fails at 'close'.
            self._pending = (chunks, callback)

            def on_close(*_: Any) -> None:
                callback(make_error("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"))

            def on_connect() -> None:
                self.removeListener("close", on_close)
                self._write_chunks(chunks, callback)

            self.once("connect", on_connect)
            self.once("close", on_close)
            return
        self._pending = None
        handle = self._handle
        if handle is None:
            callback(make_error("ERR_SOCKET_CLOSED"))
            return
        if self._timeout_ms:
            self._touch()
        if len(chunks) == 1:
            error = handle.write(chunks[0])
            if error is not None:
                callback(error)
                return
            self._bytes_dispatched += len(chunks[0])
        else:
            handle.writev(chunks)
            self._bytes_dispatched += sum(map(len, chunks))
        if handle.write_paused:
            self._waiting_write = callback
        else:
            callback()

    def _final(self, callback: Completion) -> None:
        if self.connecting:
            self.once("connect", lambda: self._final(callback))
            return
        handle = self._handle
        if handle is None:
            callback()
        elif handle.shutdown():
            self._final_cb = callback  # on_shutdown (or the close) completes it
        else:
            # A handle that cannot half-close (TLS: it sends what was written, then
            # close_notify, and closes once the peer answers) closes once its buffer is out.
            callback()

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        # Node's 'close' carries hadError only for a socket that had a handle (connecting or
        # connected); one that never had one closes with no argument: False here.
        had_handle = self.connecting or self._handle is not None or self._close_loop is not False
        self.connecting = False
        if self._timer is not None:
            self._cancel_timer()
        self._timeout_ms = 0
        connector, self._connector = self._connector, None
        if connector is not None:
            connector.cancel()
        self._had_error = error is not None and had_handle
        # (A write waiting for the connection stays in _pending, counted by bytesWritten,
        # as Node keeps its _pendingData.)
        self._sockname = None  # Node's _destroy forgets it (the peer's name stays)
        handle = self._handle
        callback(error)
        # As Node's _destroy: the server hears of it now (its 'close' is a tick away);
        # the socket's 'close' comes once the handle is closed, after that.
        server = self._server
        if server is not None:
            self._server = None
            server._connection_closed()
        if handle is not None:
            # Node's this._handle.close(): the handle reports on_close once it is closed
            # (maybe from inside this call); that report never calls destroy() again.
            if self._resetting:
                handle.reset()
            else:
                # Node's close() drops what libuv had not handed to the kernel (whose queue
                # is the handle's): the handle takes the stream's queue too, gives the
                # kernel what it takes now and drops the rest.
                queued = self._unwritten()
                if handle.close(queued) and queued:
                    self._bytes_dispatched += sum(map(len, queued))
        elif had_handle:
            self._emit_close_soon()
        else:
            # No handle: Node's 'close' comes on the next tick.
            _runtime.next_tick(self._emit_close_event)

    def _unwritten(self) -> list[bytes]:
        """What ``write()`` queued in twnet that Node would already have handed to libuv
        (whose queue is Twisted's buffer): the stream's queue, unless it is corked."""
        state = self._writableState
        if state.corked or not state.buffered:
            return []
        return [chunk for chunk, _, _, _ in state.buffered]

    def _emit_close_soon(self) -> None:
        """Node emits a socket's ``'close'`` from its handle's close callback, on the next turn
        of the loop: after the ``nextTick`` callbacks queued meanwhile (the write callbacks
        failing with ``ERR_STREAM_DESTROYED`` among them) and the immediates, before the
        timers due then. Here: a ``callLater(0)`` on the reactor that runs the ticks (not
        the socket's own, whose time may be a test's ``Clock``)."""
        loop = self._close_loop or _runtime.tick_reactor(None)
        loop.callLater(0, _runtime.dispatch, self._close_from_loop)

    def _close_from_loop(self) -> None:
        # Ticks queued before this turn run first, as Node drains its nextTick queue after
        # every callback: inside connect() (a user call) the tick queue's own reactor call
        # is only made once the call returns, after this one.
        _runtime.drain_ticks()
        self._emit_close_event()

    def _emit_close_event(self) -> None:
        _runtime.release(self)
        self.emit("close", self._had_error)

    def _emit_close(self) -> None:
        self._emit_close_event()

    # -- connecting -------------------------------------------------------------------

    @overload
    def connect(
        self,
        options: Mapping[str, Any],
        connectListener: Callable[[], object] | None = None,
        /,
        **kwargs: Any,
    ) -> Socket: ...
    @overload
    def connect(
        self,
        port: int,
        host: str | None = None,
        connectListener: Callable[[], object] | None = None,
        /,
        **kwargs: Any,
    ) -> Socket: ...
    @overload
    def connect(
        self, port: int, connectListener: Callable[[], object], /, **kwargs: Any
    ) -> Socket: ...
    @overload
    def connect(
        self,
        path_or_endpoint: str | ClientEndpoint,
        connectListener: Callable[[], object] | None = None,
        /,
        **kwargs: Any,
    ) -> Socket: ...
    @overload
    def connect(self, /, **kwargs: Any) -> Socket: ...
    def connect(self, /, *args: Any, **kwargs: Any) -> Socket:
        """Open the connection: ``connect(options[, cb])``, ``connect(path[, cb])``,
        ``connect(port[, host][, cb])`` or ``connect(endpoint[, cb])`` with any Twisted
        ``IStreamClientEndpoint``. ``cb`` becomes a ``'connect'`` listener.

        TCP options: ``port`` (required), ``host`` (default ``'localhost'``),
        ``localAddress``, ``localPort``, ``family`` (0, 4, 6), ``hints``, ``lookup``
        (``lookup(host, options, callback)`` as Node's ``dns.lookup``), ``autoSelectFamily``,
        ``autoSelectFamilyAttemptTimeout``; UNIX: ``path``; Twisted: ``endpoint``.
        """
        request = connect_request(args, kwargs)
        cb = request.callback
        # Every argument is valid: from here on the socket changes.
        if cb is not None:
            self.once("connect", cb)
        self.__dict__.pop("write", None)  # undo _on_readable_end's write-after-FIN
        if self.destroyed:
            self._peername = self._sockname = None
        if self._handle is None and not self.connecting:
            # Node's initSocketHandle for a new handle: a closed socket can connect again.
            self._undestroy()
            if self._onread is not None:
                self._onread.start()
        self._start_connecting()
        connector = self._connector = _connect.Connector(self)
        # A resolver, lookup or endpoint may answer synchronously: what it queues runs on
        # the next turn, so listeners attached after connect() hear the errors (as Node).
        with _runtime.user_call():
            connector.start(request)
        return self

    def _undestroy(self) -> None:
        Duplex._undestroy(self)
        self._bytes_read = self._bytes_dispatched = 0  # Node counts per handle
        self._sockname = None
        self._write_shut = self._reading = False
        self._had_error = self._resetting = False
        self._final_cb = self._waiting_write = None
        self._pending = None

    def _start_connecting(self) -> None:
        self.connecting = True
        self._close_loop = False
        if self._refd:
            _runtime.hold(self)

    def ref(self) -> Socket:
        """Let this socket keep ``twnet.run()`` alive again (the default)."""
        self._refd = True
        if (self.connecting and self._close_loop is False) or self._handle is not None:
            _runtime.hold(self)
            self._sync_quiet()
        return self

    def unref(self) -> Socket:
        """Let ``twnet.run()`` end even while this socket is open."""
        self._refd = False
        _runtime.release(self)
        return self

    def resetAndDestroy(self) -> Socket:
        """Close the connection with a TCP RST (``abortConnection``) and destroy the socket.
        Without a connection: destroyed with ``ERR_SOCKET_CLOSED``. A socket that is not TCP
        (UNIX, TLS) raises ``ERR_INVALID_HANDLE_TYPE`` and stays as it was, as in Node."""
        handle = self._handle
        if handle is not None:
            if not handle.resettable():
                # Node resets TCP handles only (a UNIX socket's is a Pipe).
                raise make_error("ERR_INVALID_HANDLE_TYPE")
            self._resetting = True
            self.destroy()
        elif self.connecting:
            self.once("connect", self.resetAndDestroy)
        else:
            self.destroy(make_error("ERR_SOCKET_CLOSED"))
        return self

    def destroySoon(self) -> None:
        """End the writable side, then destroy once everything was written."""
        if self.writable:
            self.end()
        if self.writableFinished:
            self.destroy()
        else:
            self.once("finish", self.destroy)

    def setEncoding(self, encoding: str | None = None) -> Socket:
        """Deliver ``'data'`` as ``str`` decoded with *encoding* (whole characters across
        chunk boundaries)."""
        Duplex.setEncoding(self, encoding)
        return self

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        auto_select_family_attempted_addresses: list[str] | None
        block_list: BlockList | None
        destroy_soon = destroySoon
        reset_and_destroy = resetAndDestroy
        set_encoding = setEncoding
