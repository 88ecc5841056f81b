"""The ``onread`` option of a Socket: incoming data is copied into the caller's buffer and
handed to the caller's callback, instead of going through the stream (no ``'data'``).

Node's semantics (``lib/net.js``, ``onStreamRead``): ``onread`` takes effect only when it is
an object with a ``buffer`` (a ``Buffer`` / ``Uint8Array``, or a function returning one) and a
``callback`` function, and is ignored otherwise. Each read fills the buffer from its start and
calls ``callback(nread, buffer)``; a function ``buffer`` is called for the first buffer when
the socket gets its connection and again after each callback for the next one. A callback
returning exactly ``False`` stops reading, as ``pause()`` does; ``resume()`` or ``read()``
start it again. ``pause()`` stops reading at once. ``'end'``, ``'error'`` and ``'close'`` come
as usual, and ``bytesRead`` counts.

In Python a buffer is a ``bytearray`` or a writable ``memoryview``. libuv reads at most the
buffer's size at a time and leaves the rest in the kernel; Twisted reads up to 64 KiB at a time,
so twnet cuts each chunk into buffer-sized reads, and keeps what a ``False`` left undelivered
until reading starts again. No Twisted here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twnet._runtime import next_tick
from twnet._validators import is_function

if TYPE_CHECKING:
    from twnet._socket_fields import SocketFields

__all__ = ["OnRead", "install", "onread_option"]

#: The buffer used when a ``buffer`` function has not yet given a usable one.
_FALLBACK_SIZE = 65536


def _is_buffer(value: object) -> bool:
    """Node's ``isUint8Array``, for Python: a ``bytearray`` or a writable byte
    ``memoryview``."""
    if isinstance(value, bytearray):
        return True
    return isinstance(value, memoryview) and not value.readonly and value.format == "B"


class OnRead:
    """A socket's ``onread``: the current buffer, the callback, the buffer function (if
    any) and the bytes a paused callback left undelivered."""

    __slots__ = ("buffer", "callback", "generator", "pending")

    def __init__(
        self,
        buffer: Any,
        callback: Callable[..., Any],
        generator: Callable[[], Any] | None,
    ) -> None:
        self.buffer = buffer
        self.callback = callback
        self.generator = generator
        self.pending = b""

    def start(self) -> None:
        """A new connection: nothing is left over, and a buffer function gives the first
        buffer (Node asks for it when the socket gets its handle)."""
        self.pending = b""
        self.next_buffer()

    def next_buffer(self) -> None:
        """Ask the buffer function (if any) for the buffer of the next read; a result that is
        no buffer keeps the current one (Node keeps it too)."""
        if self.generator is None:
            return
        fresh = self.generator()
        if _is_buffer(fresh):
            self.buffer = fresh
        elif self.buffer is None:
            self.buffer = bytearray(_FALLBACK_SIZE)


def onread_option(value: object) -> OnRead | None:
    """The ``onread`` option, when it has Node's shape (else None: Node ignores it)."""
    if value is None:
        return None
    if isinstance(value, dict):
        options = value
        buffer, callback = options.get("buffer"), options.get("callback")
    else:
        buffer, callback = getattr(value, "buffer", None), getattr(value, "callback", None)
    if not is_function(callback):
        return None
    if _is_buffer(buffer):
        return OnRead(buffer, callback, None)
    if is_function(buffer):
        return OnRead(None, callback, buffer)
    return None


def install(socket: SocketFields, onread: OnRead) -> None:
    """Route *socket*'s incoming data to *onread* (instance attributes, so that sockets
    without ``onread`` pay nothing)."""

    def on_data(data: bytes) -> None:
        socket._bytes_read += len(data)
        if socket._timeout_ms:
            socket._touch()
        if onread.pending:
            data = onread.pending + data
            onread.pending = b""
        _deliver(socket, onread, data)

    def pause() -> SocketFields:
        if not socket.connecting and socket._reading and socket._handle is not None:
            _stop_reading(socket)
        return type(socket).pause(socket)

    def resume() -> SocketFields:
        _start_reading(socket, onread)
        return type(socket).resume(socket)

    def read(size: int | None = None) -> Any:
        _start_reading(socket, onread)
        return type(socket).read(socket, size)

    def read_hook(size: int) -> None:
        if socket.connecting:
            # Node's _read while connecting: try again once connected (even if paused by then).
            socket.once("connect", lambda: _start_reading(socket, onread))
        else:
            _start_reading(socket, onread)

    socket.on_read = on_data  # type: ignore[method-assign]
    socket._read = read_hook  # type: ignore[method-assign]
    socket.pause = pause  # type: ignore[method-assign]
    socket.resume = resume  # type: ignore[method-assign]
    socket.read = read  # type: ignore[method-assign]


def _deliver(socket: SocketFields, onread: OnRead, data: bytes) -> None:
    view = memoryview(data)
    while view:
        if socket.destroyed:
            return
        if onread.buffer is None:
            onread.next_buffer()
        buffer = onread.buffer
        size = min(len(buffer), len(view))
        if size == 0:
            return  # an empty buffer takes nothing (libuv reads nothing into it)
        buffer[:size] = view[:size]
        view = view[size:]
        keep_reading = onread.callback(size, buffer) is not False
        onread.next_buffer()
        if not keep_reading:
            onread.pending = bytes(view)
            if socket._reading and socket._handle is not None:
                _stop_reading(socket)
            return


def _stop_reading(socket: SocketFields) -> None:
    socket._reading = False
    socket._handle.read_stop()  # type: ignore[union-attr]


def _start_reading(socket: SocketFields, onread: OnRead) -> None:
    """Node's ``tryReadStart``: read again (what a paused callback left comes first)."""
    if socket.connecting or socket._handle is None:
        return
    if socket._reading:
        return
    socket._reading = True
    socket._handle.read_start()
    if onread.pending:
        # What the kernel would still hold in Node: it comes as a read does, later.
        next_tick(_deliver_pending, socket, onread)


def _deliver_pending(socket: SocketFields, onread: OnRead) -> None:
    if socket._reading and onread.pending and not socket.destroyed:
        pending, onread.pending = onread.pending, b""
        _deliver(socket, onread, pending)
