"""Node's ``stream.Readable``, ``stream.Writable`` and ``stream.Duplex``: the state machines.

These are the state machines of Node 24's ``lib/internal/streams/{readable,writable,duplex,
destroy}.js``, rebuilt in Python without Twisted: the same modes, buffering, back-pressure,
events and event order, with every deferred step going through :func:`twnet._runtime.next_tick`
(Node's ``process.nextTick``). ``net.Socket`` is a :class:`Duplex` subclass; the public,
subclassable face with the constructor-option forms, Transform, pipeline... is
:mod:`twnet.stream`.

Subclass hooks (Node's, with Python types)
-------------------------------------------

Readable side — the source:

``_read(size: int) -> None``
    The consumer wants data (up to about *size* bytes). Produce it by calling
    ``self.push(chunk)`` now or later; a socket resumes reading its transport. ``_read`` is not
    called again until ``push()`` has been called.
``push(chunk: bytes) -> bool`` (provided)
    Hands data to the consumer. ``False`` means the buffer reached ``readableHighWaterMark``:
    stop producing (a socket pauses its transport) until ``_read`` is called again.
    ``push(None)`` signals EOF: ``'end'`` follows once everything buffered has been consumed.

Writable side — the sink:

``_write(chunk, encoding: str, callback) -> None``
    Write one chunk: ``bytes`` with *encoding* ``'buffer'`` (strings are encoded before they
    get here), unless in object mode or with ``decodeStrings: False``. Call
    ``callback()`` / ``callback(None)`` once it is written, or ``callback(err)``; calling it
    synchronously, inside ``_write``, is fine and is the fast path (as in Node, the user's
    ``write()`` callback and ``'drain'`` still come on the next tick, in order). No other
    ``_write`` call happens before the callback. Required unless ``_writev`` is given. An
    exception from ``_write`` propagates out of ``write()``, as in Node; ``callback(err)``
    fails that write and the queued ones, then destroys the stream with *err*.
``_writev(chunks: list[dict], callback) -> None`` (optional; each ``{'chunk', 'encoding'}``)
    Write several chunks at once: used when more than one chunk is queued (while a write was
    in flight or the stream was corked).
``_final(callback) -> None`` (optional)
    Called once, after ``end()``, when every write has completed; ``'finish'`` is emitted after
    ``callback()`` (a socket half-closes here).
``_destroy(err: BaseException | None, callback) -> None``
    Release resources; call ``callback(err)`` (or ``callback(other_err)``) when done.
    ``'error'`` (when there is an error) then ``'close'`` follow on the next tick.
    (An exception raised by ``_read``, ``_final`` or ``_destroy`` destroys the stream with it.)
``_emit_close() -> None``
    Emits ``'close'``; by default with no argument. ``net.Socket`` overrides it to pass
    ``hadError`` (or, as Node's socket does, passes ``emitClose: False`` and emits
    ``'close'`` itself once its handle is closed).

Options (a dict, camelCase or snake_case keys, or keyword arguments): ``highWaterMark``,
``readableHighWaterMark`` / ``writableHighWaterMark`` (Duplex), ``encoding``,
``defaultEncoding``, ``emitClose``, ``autoDestroy`` (default True), ``objectMode``,
``decodeStrings`` and, for Duplex, ``allowHalfOpen`` (default True), ``readable``,
``writable``, ``readableObjectMode`` and ``writableObjectMode``. Outside object mode chunks
are ``bytes`` (or ``str`` after ``setEncoding()``); in object mode any object but None, and
lengths count chunks (default ``highWaterMark`` 16).

Where twnet knowingly differs from Node: lengths of decoded strings count Python characters
(code points), not UTF-16 code units; ``bytearray`` and ``memoryview`` chunks are copied into
``bytes``; ``readableEncoding`` is always the canonical name (``'utf8'`` for ``'UTF-8'``);
``_construct``, ``signal`` and the option forms are :mod:`twnet.stream`'s.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, cast

from twnet._encoding import StringDecoder, canonical_encoding, decode, encode
from twnet._errors import engine_type_error, invalid_arg_type, make_error
from twnet._events import EventEmitter, Listener, _MethodOnce
from twnet._naming import options as _camel_options
from twnet._runtime import next_tick, report_current, run_callback
from twnet._stream_hooks import DUPLEX_HOOKS, READABLE_HOOKS, WRITABLE_HOOKS, apply_hooks
from twnet._validators import (
    as_double,
    is_function,
    is_integer,
    js_truthy,
    parse_int,
    validate_encoding,
)

__all__ = [
    "DEFAULT_HIGH_WATER_MARK",
    "DEFAULT_OBJECT_HIGH_WATER_MARK",
    "Callback",
    "Completion",
    "Duplex",
    "Readable",
    "Stream",
    "Writable",
]

DEFAULT_HIGH_WATER_MARK: Final = 64 * 1024
"""Node's default ``highWaterMark`` for byte streams (64 KiB since Node 22)."""

DEFAULT_OBJECT_HIGH_WATER_MARK: Final = 16
"""Node's default ``highWaterMark`` for object-mode streams: 16 objects."""

_MAX_HIGH_WATER_MARK: Final = 0x40000000


class Completion(Protocol):
    """The callback given to ``_write``, ``_writev``, ``_final`` and ``_destroy``."""

    def __call__(self, error: BaseException | None = None, /) -> None: ...


Callback = Callable[[BaseException | None], object]
"""A user's ``write()`` / ``end()`` callback: called with None or the error."""

_W = TypeVar("_W", bound="Writable")
_S = TypeVar("_S", bound="Stream")
_R = TypeVar("_R", bound="Readable")
_WS = TypeVar("_WS", bound="Writable")


def _nop(error: BaseException | None = None, /) -> None:
    return None


def _as_options(options: object) -> Mapping[str, Any] | None:
    """A stream constructor's options: Node reads its options' properties without checking
    their type, so anything that is no dict (an Array, a number) has none."""
    return options if isinstance(options, Mapping) else None


# -- state ----------------------------------------------------------------------------------


def _high_water_mark(
    opts: Mapping[str, Any], side_key: str, is_duplex: bool, object_mode: bool = False
) -> int:
    value = opts.get("highWaterMark")
    if value is None and is_duplex:
        value = opts.get(side_key)
    if value is None:
        return DEFAULT_OBJECT_HIGH_WATER_MARK if object_mode else DEFAULT_HIGH_WATER_MARK
    # Node's getHighWaterMark; an int too big for a double is JavaScript's Infinity
    if not is_integer(value) or value < 0 or math.isinf(as_double(value)):
        name = f"options.{side_key}" if is_duplex else "options.highWaterMark"
        raise make_error("ERR_INVALID_ARG_VALUE", name, value)
    return int(value)


class _State:
    """What both sides track; a Duplex keeps both flags in step (Node's destroy.js)."""

    __slots__ = (
        "autoDestroy",
        "closeEmitted",
        "closed",
        "defaultEncoding",
        "destroyed",
        "emitClose",
        "errorEmitted",
        "errored",
        "highWaterMark",
        "objectMode",
    )

    errored: BaseException | None

    def __init__(self, opts: Mapping[str, Any], side_key: str, is_duplex: bool) -> None:
        # Node: objectMode sets both sides; readableObjectMode / writableObjectMode one side
        # of a Duplex.
        self.objectMode = object_mode = bool(
            opts.get("objectMode")
            or (is_duplex and opts.get(side_key.replace("HighWaterMark", "ObjectMode")))
        )
        if "highWaterMark" in opts or (is_duplex and side_key in opts):
            self.highWaterMark = _high_water_mark(opts, side_key, is_duplex, object_mode)
        elif object_mode:
            self.highWaterMark = DEFAULT_OBJECT_HIGH_WATER_MARK
        else:
            self.highWaterMark = DEFAULT_HIGH_WATER_MARK
        self.emitClose = opts.get("emitClose") is not False
        self.autoDestroy = opts.get("autoDestroy") is not False
        encoding = opts.get("defaultEncoding")
        # Node: Buffer.isEncoding(), which refuses '' (setEncoding's '' means utf8).
        self.defaultEncoding = (
            "utf8" if encoding is None else validate_encoding(encoding, empty_is_utf8=False)
        )
        self.destroyed = False
        self.closed = False
        self.closeEmitted = False
        self.errorEmitted = False
        self.errored = None


class _ReadableState(_State):
    __slots__ = (
        "awaitDrainWriters",
        "buffer",
        "dataEmitted",
        "dataListening",
        "decoder",
        "emittedReadable",
        "encoding",
        "endEmitted",
        "endScheduled",
        "ended",
        "flowing",
        "length",
        "multiAwaitDrain",
        "needReadable",
        "paused",
        "pipes",
        "readable",
        "readableListening",
        "reading",
        "readingMore",
        "resumeScheduled",
        "sync",
    )

    # The buffer starts as the shared empty tuple and becomes a list when something goes in
    # (an idle socket keeps none: 72 bytes); non-empty means a list. The pipes are tuples,
    # replaced when they change (rarely): smaller than lists.
    buffer: list[Any] | tuple[()]  # bytes, or str once decoding (a deque costs 760 bytes)
    flowing: bool | None  # None: no mode chosen yet
    paused: bool | None  # None: neither pause() nor resume() called yet
    readable: bool | None  # False: the readable side was disabled (Duplex option)
    decoder: StringDecoder | None
    encoding: str | None
    pipes: tuple[Writable, ...]
    awaitDrainWriters: tuple[Writable, ...]  # a set buys nothing for one or two pipes

    def __init__(self, opts: Mapping[str, Any], is_duplex: bool) -> None:
        super().__init__(opts, "readableHighWaterMark", is_duplex)
        self.buffer = ()
        self.length = 0
        self.pipes = ()
        self.awaitDrainWriters = ()
        self.multiAwaitDrain = False
        self.flowing = None
        self.paused = None
        self.readable = None
        self.ended = False
        self.endEmitted = False
        self.endScheduled = False
        self.reading = False
        self.sync = True  # until the first _read() returns, push() buffers
        self.needReadable = False
        self.emittedReadable = False
        self.readableListening = False
        self.resumeScheduled = False
        self.readingMore = False
        self.dataEmitted = False
        self.dataListening = False
        self.decoder = None
        self.encoding = None
        if js_truthy(opts.get("encoding")):
            self.decoder = StringDecoder(opts["encoding"])
            self.encoding = self.decoder.encoding


class _AfterWriteTick:
    """Node's ``afterWriteTickInfo``: synchronous completions with the same callback, counted."""

    __slots__ = ("callback", "count")

    def __init__(self, callback: Callback) -> None:
        self.callback = callback
        self.count = 1


class _WritableState(_State):
    __slots__ = (
        "afterWritePending",
        "afterWriteTickInfo",
        "allNoop",
        "bufferProcessing",
        "buffered",
        "corked",
        "decodeStrings",
        "ended",
        "ending",
        "finalCalled",
        "finished",
        "length",
        "needDrain",
        "onFinished",
        "pendingcb",
        "prefinished",
        "stream",
        "sync",
        "writable",
        "writecb",
        "writelen",
        "writing",
    )

    # As the readable state's lists: the empty tuple until something is queued.
    #: Queued writes: (data, encoding, callback, the length they count for in
    #: ``writableLength``); the encoding is None only in object mode.
    buffered: list[tuple[Any, str | None, Callback, int]] | tuple[()]
    writecb: Callback
    writable: bool | None  # False: the writable side was disabled (Duplex option)
    afterWriteTickInfo: _AfterWriteTick | None
    onFinished: list[Callback] | tuple[()]

    def __init__(self, stream: Writable, opts: Mapping[str, Any], is_duplex: bool) -> None:
        super().__init__(opts, "writableHighWaterMark", is_duplex)
        self.stream = stream
        self.decodeStrings = opts.get("decodeStrings") is not False
        self.length = 0
        self.corked = 0
        self.writing = False
        self.sync = True
        self.bufferProcessing = False
        self.needDrain = False
        self.ending = False
        self.ended = False
        self.finished = False
        self.finalCalled = False
        self.prefinished = False
        self.afterWritePending = False
        self.afterWriteTickInfo = None
        self.writable = None
        self.writecb = _nop
        self.writelen = 0
        self.pendingcb = 0  # user callbacks not yet called: 'finish' waits for 0
        self.buffered = ()
        self.allNoop = True
        self.onFinished = ()

    def onwrite(self, error: BaseException | None = None, /) -> None:
        """The sink's completion callback (Node's ``onwrite``), as ``state.onwrite``."""
        state, stream = self, self.stream
        if not state.writing:
            _error_or_destroy(stream, make_error("ERR_MULTIPLE_CALLBACK"))
            return
        sync = state.sync
        callback = state.writecb
        state.writecb = _nop
        state.writing = False
        state.length -= state.writelen
        if error is not None:
            if state.errored is None:
                state.errored = error
            r = stream._readableState
            if r is not None and r.errored is None:
                r.errored = error
            if sync:
                next_tick(_on_write_error, stream, state, error, callback)
            else:
                _on_write_error(stream, state, error, callback)
            return
        if state.buffered:
            _clear_buffer(stream, state)
        if not sync:
            _after_write(stream, state, 1, callback)
        elif callback is _nop:
            # Node defers only what is observable: a 'drain' to emit.
            if not state.afterWritePending and state.needDrain and state.length == 0:
                state.afterWritePending = True
                next_tick(_after_write, stream, state, 1, _nop)
            else:
                state.pendingcb -= 1
                if state.ending:
                    _finish_maybe(stream, state, True)
        else:
            info = state.afterWriteTickInfo
            if info is not None and info.callback is callback:
                info.count += 1
            else:
                info = state.afterWriteTickInfo = _AfterWriteTick(callback)
                state.afterWritePending = True
                next_tick(_after_write_tick, stream, state, info)


# -- the common base: destroy() and its events --------------------------------------------


class Stream(EventEmitter):
    """What Readable and Writable share: ``destroy()``, ``destroyed``, ``closed``, ``errored``
    and the ``'error'`` / ``'close'`` emission (Node's ``internal/streams/destroy.js``)."""

    # Slots keep a stream (a socket above all) small; ``__dict__`` stays for subclasses and
    # users who add attributes, as JavaScript code adds properties.
    __slots__ = ("__dict__", "_allowHalfOpen", "_readableState", "_writableState")

    # A listener's exception is reported where it escapes and the stream's own work goes on
    # (it still ends, finishes, closes): see EventEmitter.emit.
    _contains_listener_errors = True

    _readableState: _ReadableState | None
    _writableState: _WritableState | None

    def __init__(self) -> None:
        super().__init__()
        self._readableState = None
        self._writableState = None

    def _states(self) -> tuple[_State, ...]:
        r, w = self._readableState, self._writableState
        if r is None:
            return () if w is None else (w,)
        return (r,) if w is None else (r, w)

    def destroy(self: _S, error: BaseException | None = None) -> _S:
        """Destroy the stream, as Node does: later writes fail with ERR_STREAM_DESTROYED,
        queued writes' callbacks get that error (or *error*), no more ``'data'``; then
        ``_destroy(error, cb)`` runs and, on the next tick, ``'error'`` (when *error* is
        given) and ``'close'`` are emitted, once. Calling it again does nothing."""
        if not js_truthy(error):
            error = None  # Node: destroy(0), destroy('') destroy without an error
        states = self._states()
        for s in states:
            if s.destroyed:
                return self
        w = self._writableState
        if w is not None and (w.buffered or w.onFinished):
            next_tick(_error_buffer, w)
        for s in states:
            if error is not None and s.errored is None:
                s.errored = error
            s.destroyed = True
        _run_destroy(self, error)
        return self

    def _undestroy(self) -> None:
        """Node's ``_undestroy`` (``destroy.js``): the states of a destroyed stream back to
        those of a new one, for a socket that connects again. Buffered data and listeners
        stay, as in Node."""
        r, w = self._readableState, self._writableState
        if r is not None:
            r.closed = r.closeEmitted = r.destroyed = r.errorEmitted = r.reading = False
            r.errored = None
            r.ended = r.endEmitted = r.readable is False
        if w is not None:
            w.destroyed = w.closed = w.closeEmitted = w.errorEmitted = False
            w.errored = None
            w.finalCalled = w.prefinished = False
            w.ended = w.ending = w.finished = w.writable is False

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        """Hook: release resources, then ``callback(error)``."""
        callback(error)

    def _emit_close(self) -> None:
        """Hook: emit ``'close'`` (with no argument; ``net.Socket`` passes ``hadError``)."""
        self.emit("close")

    @property
    def destroyed(self) -> bool:
        """True once ``destroy()`` was called."""
        states = self._states()
        for s in states:
            if not s.destroyed:
                return False
        return bool(states)

    @property
    def closed(self) -> bool:
        """True once ``_destroy`` has completed (``'close'`` is on its way)."""
        s = self._writableState or self._readableState
        return s is not None and s.closed

    @property
    def errored(self) -> BaseException | None:
        """The error the stream was destroyed with or failed with, else None."""
        s = self._readableState or self._writableState
        return s.errored if s is not None else None


def _run_destroy(stream: Stream, error: BaseException | None) -> None:
    called = False

    def on_destroyed(err: BaseException | None = None, /) -> None:
        nonlocal called
        if called:
            return
        called = True
        for s in stream._states():
            if err is not None and s.errored is None:
                s.errored = err
            s.closed = True
        if err is not None:
            next_tick(_emit_error_close, stream, err)
        else:
            next_tick(_emit_close, stream)

    try:
        stream._destroy(error, on_destroyed)
    except Exception as err:
        on_destroyed(err)


def _emit_error_close(stream: Stream, error: BaseException) -> None:
    _emit_error(stream, error)
    _emit_close(stream)


def _emit_close(stream: Stream) -> None:
    emit = False
    for s in stream._states():
        s.closeEmitted = True
        emit = emit or s.emitClose
    if emit:
        stream._emit_close()


def _emit_error(stream: Stream, error: BaseException) -> None:
    states = stream._states()
    for s in states:
        if s.errorEmitted:
            return
    for s in states:
        s.errorEmitted = True
    stream.emit("error", error)


def _error_or_destroy(stream: Stream, error: BaseException, sync: bool = False) -> None:
    """Node's ``errorOrDestroy``: destroy with *error* (autoDestroy), else emit it."""
    states = stream._states()
    for s in states:
        if s.destroyed:
            return
    for s in states:
        if s.autoDestroy:
            stream.destroy(error)
            return
    for s in states:
        if s.errored is None:
            s.errored = error
    if sync:
        next_tick(_emit_error, stream, error)
    else:
        _emit_error(stream, error)


# -- Readable -------------------------------------------------------------------------------


class Readable(Stream):
    """Node's ``stream.Readable`` in byte/string mode.

    It starts paused: data pushed by the source waits in a buffer (up to
    ``readableHighWaterMark`` bytes, after which ``push()`` returns False) until a ``'data'``
    listener, ``resume()`` or ``pipe()`` switches it to flowing mode, or a ``'readable'``
    listener pulls it with ``read()``. ``'end'`` is emitted once the source called
    ``push(None)`` and everything buffered was consumed.
    """

    __slots__ = ()

    _readableState: _ReadableState

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        super().__init__()
        opts = _camel_options(_as_options(options), **kwargs)
        self._readableState = _ReadableState(opts, False)
        apply_hooks(self, opts, READABLE_HOOKS)

    @staticmethod
    def from_(
        iterable: Any, options: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> Readable:
        """Node's ``Readable.from(iterable[, options])`` (``from`` is a Python keyword;
        ``getattr(Readable, 'from')`` is this function): a Readable in object mode over a sync
        or async iterable (see :mod:`twnet._from`)."""
        from twnet._from import readable_from

        return readable_from(iterable, options, **kwargs)

    # hooks

    def _read(self, size: int) -> None:
        """Hook: the consumer wants about *size* more bytes; ``push()`` them."""
        raise make_error("ERR_METHOD_NOT_IMPLEMENTED", "_read()")

    # the source's side

    def push(
        self, chunk: bytes | bytearray | memoryview | str | None, encoding: str | None = None
    ) -> bool:
        """Add *chunk* to what the consumer reads (``None``: end of data).

        In flowing mode with nothing buffered, the chunk goes straight to ``'data'``
        listeners. Returns False when the source should stop producing until ``_read()`` is
        called again: the buffer reached ``readableHighWaterMark``, or the stream ended.
        """
        state = self._readableState
        if type(chunk) is bytes:
            if (
                chunk
                and state.decoder is None
                and not (state.ended or state.destroyed)
                and state.errored is None
            ):
                # The hot path: nothing to convert, decode or refuse.
                state.reading = False
                _add_chunk(self, state, chunk, False)
                return _can_push_more(state)
            return _push(self, state, chunk, "")
        if chunk is None:
            state.reading = False
            _on_eof_chunk(self, state)
            return False
        return _push(self, state, chunk, encoding)

    def _push_reading(self, chunk: bytes) -> bool:
        """``push(chunk)`` for a source that goes on producing by itself (a socket whose
        transport keeps reading, so that its ``_read`` has nothing to do).

        The observable result is exactly ``push()``'s. What it saves is Node's
        ``maybeReadMore`` tick in the common case — flowing mode, the chunk handed straight to
        ``'data'`` — whose only effect would be a ``read(0)`` that marks the stream as reading
        and calls the source's idle ``_read``; that state is set here at once instead.
        """
        state = self._readableState
        if (
            type(chunk) is not bytes
            or not chunk
            or state.decoder is not None
            or state.ended
            or state.destroyed
            or state.errored is not None
            or not state.flowing
            or not state.dataListening
            or state.sync
            or state.length
            or state.readingMore
        ):
            return self.push(chunk)
        state.reading = False
        if state.awaitDrainWriters:
            state.awaitDrainWriters = ()
        state.dataEmitted = True
        self.emit("data", chunk)
        if state.flowing and not state.length and not state.ended and not state.destroyed:
            state.reading = True
            state.needReadable = True
            return True  # _can_push_more
        if not (state.readingMore or state.reading):
            state.readingMore = True
            next_tick(_maybe_read_more_now, self, state)
        return _can_push_more(state)

    def unshift(
        self, chunk: bytes | bytearray | memoryview | str | None, encoding: str | None = None
    ) -> bool:
        """Put *chunk* back at the front of the buffer (data just read and not wanted yet)."""
        state = self._readableState
        if chunk is None:
            state.reading = False
            _on_eof_chunk(self, state)
            return False
        data: Any
        if state.objectMode:
            data = chunk
        elif isinstance(chunk, str):
            canonical = _string_encoding(encoding, state)
            if state.encoding is None:
                data = encode(chunk, canonical)
            elif state.encoding != canonical:
                data = decode(encode(chunk, canonical), state.encoding)
            else:
                data = chunk
        elif isinstance(chunk, bytes | bytearray | memoryview):
            data = bytes(chunk)
            if state.encoding is not None:
                data = decode(data, state.encoding)
        else:
            _error_or_destroy(self, _chunk_type_error(chunk))
            return False
        if not data and not state.objectMode:
            return _can_push_more(state)
        if state.endEmitted:
            _error_or_destroy(self, make_error("ERR_STREAM_UNSHIFT_AFTER_END_EVENT"))
        elif state.destroyed or state.errored is not None:
            return False
        else:
            _add_chunk(self, state, data, True)
        return _can_push_more(state)

    # the consumer's side

    def read(self, size: int | None = None) -> bytes | str | None:
        """Take *size* bytes (all that is buffered when None) out of the buffer, or None when
        not that many are there yet (then ``'readable'`` will say when). Also emits them as
        ``'data'``. ``read(0)`` only asks the source for more."""
        state = self._readableState
        n: int | None = None
        if size is not None:
            # Node: a size that is no integer goes through parseInt(size, 10); NaN (from
            # NaN, Infinity, [], 'x'...) means "what is buffered", as no size does.
            number = size if is_integer(size) else parse_int(size)
            n = int(number) if math.isfinite(number) else None
        if n is not None:
            if n > state.highWaterMark:
                state.highWaterMark = _next_power_of_2(n)
            if n != 0:
                state.emittedReadable = False
            elif state.needReadable and (
                (state.length >= state.highWaterMark if state.highWaterMark else state.length > 0)
                or state.ended
            ):
                if state.length == 0 and state.ended:
                    _end_readable(self, state)
                else:
                    _emit_readable(self, state)
                return None
        else:
            state.emittedReadable = False

        count = _how_much_to_read(n, state)
        if count == 0 and state.ended:
            if state.length == 0:
                _end_readable(self, state)
            return None

        do_read = (
            state.needReadable or state.length == 0 or state.length - count < state.highWaterMark
        )
        if do_read and not (
            state.reading or state.ended or state.destroyed or state.errored is not None
        ):
            state.reading = True
            state.sync = True
            if state.length == 0:
                state.needReadable = True
            try:
                self._read(state.highWaterMark)
            except Exception as err:
                _error_or_destroy(self, err)
            state.sync = False
            if not state.reading:
                count = _how_much_to_read(n, state)

        ret = _from_list(count, state) if count > 0 else None
        if ret is None:
            if state.length <= state.highWaterMark:
                state.needReadable = True
            count = 0
        else:
            state.length -= count
            if state.awaitDrainWriters:
                state.awaitDrainWriters = ()

        if state.length == 0:
            if not state.ended:
                state.needReadable = True
            if n != count and state.ended:
                _end_readable(self, state)

        if ret is not None and not (state.errorEmitted or state.closeEmitted):
            state.dataEmitted = True
            self.emit("data", ret)
        return ret

    def setEncoding(self: _R, encoding: str | None) -> _R:
        """Deliver ``str`` instead of ``bytes``, decoded with *encoding* across chunk
        boundaries (Node's StringDecoder); what is already buffered is converted too."""
        state = self._readableState
        decoder = StringDecoder(encoding)
        state.decoder = decoder
        state.encoding = decoder.encoding
        content = "".join(
            item if isinstance(item, str) else decoder.write(item) for item in state.buffer
        )
        if state.ended:
            content += decoder.end()
        state.buffer = [content] if content else ()
        state.length = len(content)
        return self

    def pause(self: _R) -> _R:
        """Stop flowing mode: ``'data'`` stops, data stays buffered. Emits ``'pause'``."""
        state = self._readableState
        if state.flowing is not False:
            state.flowing = False
            self.emit("pause")
        state.paused = True
        return self

    def resume(self: _R) -> _R:
        """Switch to flowing mode (on the next tick): buffered and new data go to ``'data'``.
        Emits ``'resume'``. With a ``'readable'`` listener attached, it does not flow."""
        state = self._readableState
        if not state.flowing:
            state.flowing = not state.readableListening
            if not state.resumeScheduled:
                state.resumeScheduled = True
                next_tick(_resume, self, state)
        state.paused = False
        return self

    def isPaused(self) -> bool:
        """True after ``pause()`` (or when paused by a pipe's back-pressure)."""
        state = self._readableState
        return state.paused is True or state.flowing is False

    def pipe(
        self,
        destination: _W,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        end: bool | None = None,
    ) -> _W:
        """Write everything read from this stream to *destination*, pausing while
        ``destination.write()`` returns False and resuming on its ``'drain'``; end it when this
        stream ends unless ``{'end': False}`` / ``end=False``. Returns *destination*.

        *destination* must be a twnet emitter (a Writable, a Socket...): anything else raises
        at once, as Node's ``dest.on is not a function``, before the pipe is recorded."""
        if not isinstance(destination, EventEmitter):
            raise engine_type_error(
                "Cannot read properties of undefined (reading 'on')"
                if destination is None
                else "dest.on is not a function"
            )
        # Node reads pipeOpts?.end of whatever was passed: anything but a dict has no 'end'
        given_end = options.get("end") if isinstance(options, Mapping) else None
        do_end = end if end is not None else given_end is not False
        return _pipe(self, destination, do_end)

    def unpipe(self: _R, destination: Writable | None = None) -> _R:
        """Undo one ``pipe()`` to *destination* (a source piped to it twice keeps the other
        pipe), or every pipe when *destination* is None."""
        state = self._readableState
        if not state.pipes:
            return self
        if destination is None:
            destinations = state.pipes
            state.pipes = ()
            self.pause()
            for dest in destinations:
                dest.emit("unpipe", self, {"hasUnpiped": False})
            return self
        # One pipe: a source piped twice to the same destination keeps the other.
        pipes = state.pipes
        index = next((i for i, dest in enumerate(pipes) if dest is destination), -1)
        if index < 0:
            return self
        state.pipes = pipes[:index] + pipes[index + 1 :]
        if not state.pipes:
            self.pause()
        destination.emit("unpipe", self, {"hasUnpiped": False})
        return self

    # listeners that change the mode (through on/addListener/once, as in Node; the prepend
    # methods do not)

    def on(self: _R, name: Any, listener: Listener) -> _R:
        """``EventEmitter.on``; a ``'data'`` listener also starts flowing mode (unless paused
        explicitly) and a ``'readable'`` listener switches to pulling with ``read()``."""
        self._add(name, listener, False)
        if name == "data" or name == "readable":
            _listener_added(self, name)
        return self

    addListener = on

    def once(self: _R, name: Any, listener: Listener) -> _R:
        """``EventEmitter.once``, switching modes as :meth:`on` does."""
        EventEmitter.once(self, name, listener)
        if name == "data" or name == "readable":
            _listener_added(self, name)
        return self

    def removeListener(self: _R, name: Any, listener: Listener) -> _R:
        """``EventEmitter.removeListener``, updating the mode as Node does."""
        EventEmitter.removeListener(self, name, listener)
        if name == "readable":
            next_tick(_update_readable_listening, self)
        elif name == "data" and "data" not in self._events:
            self._readableState.dataListening = False
        return self

    off = removeListener

    def removeAllListeners(self: _R, name: Any = None) -> _R:
        """``EventEmitter.removeAllListeners``, updating the mode as Node does."""
        super().removeAllListeners(name)
        if name is None or name == "readable":
            next_tick(_update_readable_listening, self)
        return self

    # properties

    @property
    def readable(self) -> bool:
        """True while it is safe to read: not ended, destroyed or errored."""
        state = self._readableState
        return (
            state.readable is not False
            and not state.destroyed
            and not state.errorEmitted
            and not state.endEmitted
        )

    @readable.setter
    def readable(self, value: bool) -> None:
        self._readableState.readable = bool(value)

    @property
    def readableFlowing(self) -> bool | None:
        """None (no mode chosen yet), True (flowing) or False (paused)."""
        return self._readableState.flowing

    @readableFlowing.setter
    def readableFlowing(self, value: bool | None) -> None:
        self._readableState.flowing = value

    @property
    def readableLength(self) -> int:
        """Bytes (characters after ``setEncoding``) buffered and not read yet."""
        return self._readableState.length

    @property
    def readableHighWaterMark(self) -> int:
        """The buffer size past which ``push()`` returns False."""
        return self._readableState.highWaterMark

    @property
    def readableEncoding(self) -> str | None:
        """The encoding given to ``setEncoding()`` (canonical name), else None."""
        return self._readableState.encoding

    @property
    def readableEnded(self) -> bool:
        """True once ``'end'`` was emitted."""
        return self._readableState.endEmitted

    @property
    def readableDidRead(self) -> bool:
        """True once ``'data'`` was emitted."""
        return self._readableState.dataEmitted

    @property
    def readableAborted(self) -> bool:
        """True when destroyed or errored before ``'end'``."""
        state = self._readableState
        return (
            state.readable is not False
            and (state.destroyed or state.errored is not None)
            and not state.endEmitted
        )

    @property
    def readableObjectMode(self) -> bool:
        """True when made with ``objectMode`` (or ``readableObjectMode``): any object but
        None is a chunk, and lengths count chunks."""
        return self._readableState.objectMode

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        add_listener = addListener
        is_paused = isPaused
        readable_aborted = readableAborted
        readable_did_read = readableDidRead
        readable_encoding = readableEncoding
        readable_ended = readableEnded
        readable_flowing = readableFlowing
        readable_high_water_mark = readableHighWaterMark
        readable_length = readableLength
        readable_object_mode = readableObjectMode
        remove_all_listeners = removeAllListeners
        remove_listener = removeListener
        set_encoding = setEncoding


setattr(Readable, "from", vars(Readable)["from_"])


def _listener_added(stream: Readable, name: Any) -> None:
    state = stream._readableState
    if name == "data":
        state.dataListening = True
        if "readable" in stream._events:
            state.readableListening = True
        if state.flowing is not False:
            stream.resume()
    elif name == "readable" and not (state.endEmitted or state.readableListening):
        state.readableListening = True
        state.needReadable = True
        state.flowing = False
        state.emittedReadable = False
        if state.length:
            _emit_readable(stream, state)
        elif not state.reading:
            next_tick(_read_zero, stream)


def _chunk_type_error(chunk: object) -> BaseException:
    return invalid_arg_type("chunk", ["string", "Buffer", "TypedArray", "DataView"], chunk)


def _can_push_more(state: _ReadableState) -> bool:
    return not state.ended and (state.length < state.highWaterMark or state.length == 0)


def _string_encoding(encoding: object, state: _ReadableState) -> str:
    """The encoding of a string pushed or unshifted: Node's ``Buffer.from(chunk, encoding
    || defaultEncoding)``, which reads a name that is no string as utf8 and refuses an
    unknown one (ERR_UNKNOWN_ENCODING)."""
    name = encoding if js_truthy(encoding) else state.defaultEncoding
    return canonical_encoding(name) if isinstance(name, str) else "utf8"


def _push(stream: Readable, state: _ReadableState, chunk: object, encoding: str | None) -> bool:
    """``push()`` beyond the hot path: conversion, decoding and every refusal."""
    data: bytes | str
    decoded = False
    if state.objectMode:
        # Any object but None (EOF) goes in as it is, empty strings and bytes included.
        if state.ended:
            _error_or_destroy(stream, make_error("ERR_STREAM_PUSH_AFTER_EOF"))
            return False
        if state.destroyed or state.errored is not None:
            return False
        state.reading = False
        _add_chunk(stream, state, chunk, False)  # type: ignore[arg-type]
        return _can_push_more(state)
    if isinstance(chunk, str):
        canonical = _string_encoding(encoding, state)
        if state.encoding == canonical:
            data, decoded = chunk, True
        else:
            data = encode(chunk, canonical)
    elif isinstance(chunk, bytes | bytearray | memoryview):
        data = bytes(chunk)
    else:
        _error_or_destroy(stream, _chunk_type_error(chunk))
        return False
    if not data:
        state.reading = False
        _maybe_read_more(stream, state)
        return _can_push_more(state)
    if state.ended:
        _error_or_destroy(stream, make_error("ERR_STREAM_PUSH_AFTER_EOF"))
        return False
    if state.destroyed or state.errored is not None:
        return False
    state.reading = False
    if state.decoder is not None and not decoded:
        assert isinstance(data, bytes)
        data = state.decoder.write(data)
        if not data:
            _maybe_read_more(stream, state)
            return _can_push_more(state)
    _add_chunk(stream, state, data, False)
    return _can_push_more(state)


def _add_chunk(stream: Readable, state: _ReadableState, chunk: bytes | str, front: bool) -> None:
    if state.flowing and state.dataListening and not state.sync and state.length == 0:
        if state.awaitDrainWriters:
            state.awaitDrainWriters = ()
        state.dataEmitted = True
        stream.emit("data", chunk)
    else:
        state.length += 1 if state.objectMode else len(chunk)
        buffer = state.buffer
        if not buffer:
            state.buffer = [chunk]
        elif front:
            buffer.insert(0, chunk)
        else:
            buffer.append(chunk)
        if state.needReadable:
            _emit_readable(stream, state)
    if not (state.readingMore or state.reading):
        state.readingMore = True
        next_tick(_maybe_read_more_now, stream, state)


def _maybe_read_more(stream: Readable, state: _ReadableState) -> None:
    if not (state.readingMore or state.reading):
        state.readingMore = True
        next_tick(_maybe_read_more_now, stream, state)


def _maybe_read_more_now(stream: Readable, state: _ReadableState) -> None:
    # Fill the buffer up to the high-water mark, or keep a flowing stream reading.
    while not (state.reading or state.ended) and (
        state.length < state.highWaterMark or (state.flowing and state.length == 0)
    ):
        length = state.length
        stream.read(0)
        if length == state.length:
            break
    state.readingMore = False


def _next_power_of_2(n: int) -> int:
    if n > _MAX_HIGH_WATER_MARK:
        raise make_error("ERR_OUT_OF_RANGE", "size", "<= 1GiB", n)
    return 1 << (n - 1).bit_length() if n > 1 else n


def _how_much_to_read(n: int | None, state: _ReadableState) -> int:
    if (n is not None and n <= 0) or (state.length == 0 and state.ended):
        return 0
    if state.objectMode:
        return 1
    if n is None:
        # Flowing mode hands over one chunk at a time.
        if state.flowing and state.length:
            return len(state.buffer[0])  # type: ignore[misc]  # length > 0: a list
        return state.length
    if n <= state.length:
        return n
    return state.length if state.ended else 0


def _from_list(n: int, state: _ReadableState) -> bytes | str | None:
    """Take *n* units (bytes or characters) off the front of the buffer."""
    buffer = state.buffer
    if not buffer:
        return None
    if state.objectMode:
        return buffer.pop(0)  # type: ignore[no-any-return]
    first = buffer[0]
    if n == len(first):
        return buffer.pop(0)  # type: ignore[no-any-return]
    empty = "" if isinstance(first, str) else b""
    if n >= state.length:
        ret = empty.join(buffer)
        state.buffer = ()
        return ret
    if n < len(first):
        buffer[0] = first[n:]
        return first[:n]  # type: ignore[no-any-return]
    parts = []
    while n > 0:
        piece = buffer[0]
        if len(piece) <= n:
            parts.append(buffer.pop(0))
            n -= len(piece)
        else:
            parts.append(piece[:n])
            buffer[0] = piece[n:]
            n = 0
    return empty.join(parts)


def _on_eof_chunk(stream: Readable, state: _ReadableState) -> None:
    if state.ended:
        return
    if state.decoder is not None:
        rest = state.decoder.end()
        if rest:
            state.buffer = [*state.buffer, rest]
            state.length += len(rest)
    state.ended = True
    if state.sync:
        # Inside _read(): 'readable' on the next tick, not from within read().
        _emit_readable(stream, state)
    else:
        state.needReadable = False
        state.emittedReadable = True
        _emit_readable_now(stream, state)


def _emit_readable(stream: Readable, state: _ReadableState) -> None:
    state.needReadable = False
    if not state.emittedReadable:
        state.emittedReadable = True
        next_tick(_emit_readable_now, stream, state)


def _emit_readable_now(stream: Readable, state: _ReadableState) -> None:
    if not (state.destroyed or state.errored is not None) and (state.length or state.ended):
        stream.emit("readable")
        state.emittedReadable = False
    if not (state.flowing or state.ended) and state.length <= state.highWaterMark:
        state.needReadable = True
    _flow(stream, state)


def _flow(stream: Readable, state: _ReadableState) -> None:
    while state.flowing and stream.read() is not None:
        pass


def _resume(stream: Readable, state: _ReadableState) -> None:
    if not state.reading:
        stream.read(0)
    state.resumeScheduled = False
    stream.emit("resume")
    _flow(stream, state)
    if state.flowing and not state.reading:
        stream.read(0)


def _read_zero(stream: Readable) -> None:
    stream.read(0)


def _update_readable_listening(stream: Readable) -> None:
    state = stream._readableState
    state.readableListening = stream.listenerCount("readable") > 0
    if state.resumeScheduled and state.paused is False:
        # A resume() is on its way: it must flow.
        state.flowing = True
    elif state.dataListening:
        stream.resume()
    elif not state.readableListening:
        state.flowing = None


def _end_readable(stream: Readable, state: _ReadableState) -> None:
    if not (state.endEmitted or state.endScheduled):
        state.ended = True
        state.endScheduled = True
        next_tick(_end_readable_now, stream, state)


def _end_readable_now(stream: Readable, state: _ReadableState) -> None:
    state.endScheduled = False
    # An unshift() may have come in the meantime.
    if state.errored is not None or state.closeEmitted or state.endEmitted or state.length:
        return
    state.endEmitted = True
    stream.emit("end")
    w = stream._writableState
    if (
        w is not None
        and getattr(stream, "_allowHalfOpen", True) is False
        and isinstance(stream, Writable)
        and stream.writable
    ):
        next_tick(_end_writable_side, stream)
    elif state.autoDestroy and (
        w is None or (w.autoDestroy and (w.finished or w.writable is False))
    ):
        stream.destroy()


def _end_writable_side(stream: Writable) -> None:
    if stream.writable:  # not ended (writableEnded), destroyed or errored
        stream.end()


def _pipe(src: Readable, dest: _W, do_end: bool) -> _W:
    state = src._readableState
    if len(state.pipes) == 1 and not state.multiAwaitDrain:
        state.multiAwaitDrain = True
    state.pipes = (*state.pipes, dest)
    pipe = _Pipe(src, dest, do_end)
    if state.endEmitted:
        next_tick(pipe.on_source_end)
    else:
        src._add("end", _MethodOnce(src, "end", pipe, _Pipe.on_source_end), False)
    dest.on("unpipe", pipe.onunpipe)
    src.on("data", pipe.ondata)
    dest.prependListener("error", pipe.onerror)  # before the user's own listeners
    dest._add("close", _MethodOnce(dest, "close", pipe, _Pipe.onclose), False)
    dest._add("finish", _MethodOnce(dest, "finish", pipe, _Pipe.onfinish), False)
    dest.emit("pipe", src)
    # (a destination that is no Writable, a Readable say, is accepted as Node accepts it: its
    # missing write() fails when data comes, an uncaught error there as in Node)
    if getattr(dest, "writableNeedDrain", False):
        pipe.pause()
    elif not state.flowing:
        src.resume()
    return dest


class _Pipe:
    """One ``src.pipe(dest)`` (Node's ``Readable.prototype.pipe``): its listeners are this
    object's methods, a few hundred bytes where nine closures per socket cost kilobytes.
    (Bound methods are removed by an equal bound method: see ``EventEmitter.off``; the
    ``once`` ones are registered as ``_MethodOnce``, which holds no bound method.)"""

    __slots__ = ("cleaned_up", "dest", "do_end", "drain_listening", "src", "state")

    def __init__(self, src: Readable, dest: Writable, do_end: bool) -> None:
        self.src = src
        self.dest = dest
        self.state = src._readableState
        self.do_end = do_end
        self.cleaned_up = False
        self.drain_listening = False

    def on_source_end(self) -> None:
        """Node's ``endFn``: ``onend`` (end the destination) or, with ``end: false``,
        ``unpipe``."""
        if self.do_end:
            self.onend()
        else:
            self.unpipe()

    def onunpipe(self, readable: Readable, info: dict[str, bool] | None = None) -> None:
        if readable is self.src and info is not None and info.get("hasUnpiped") is False:
            info["hasUnpiped"] = True
            self.cleanup()

    def onend(self) -> None:
        self.dest.end()

    def unpipe(self) -> None:
        self.src.unpipe(self.dest)

    def cleanup(self) -> None:
        src, dest, state = self.src, self.dest, self.state
        dest.removeListener("close", self.onclose)
        dest.removeListener("finish", self.onfinish)
        if self.drain_listening:
            dest.removeListener("drain", self.ondrain)
        dest.removeListener("error", self.onerror)
        dest.removeListener("unpipe", self.onunpipe)
        src.removeListener("end", self.on_source_end)
        src.removeListener("data", self.ondata)
        self.cleaned_up = True
        # A source waiting for this destination's 'drain' would never flow again.
        w = dest._writableState
        if (
            self.drain_listening
            and (state.multiAwaitDrain or state.awaitDrainWriters)
            and (w is None or w.needDrain)
        ):
            self.ondrain()

    def pause(self) -> None:
        src, dest, state = self.src, self.dest, self.state
        if not self.cleaned_up:
            if len(state.pipes) == 1 and state.pipes[0] is dest:
                state.awaitDrainWriters = (dest,)
                state.multiAwaitDrain = False
            elif (
                len(state.pipes) > 1
                and any(p is dest for p in state.pipes)
                and dest not in state.awaitDrainWriters
            ):
                state.awaitDrainWriters = (*state.awaitDrainWriters, dest)
            src.pause()
        if not self.drain_listening:
            self.drain_listening = True
            dest.on("drain", self.ondrain)

    def ondrain(self) -> None:
        state, dest = self.state, self.dest
        if dest in state.awaitDrainWriters:
            state.awaitDrainWriters = tuple(w for w in state.awaitDrainWriters if w is not dest)
        if not state.awaitDrainWriters and state.dataListening:
            self.src.resume()

    def ondata(self, chunk: bytes | str) -> None:
        if self.dest.write(chunk) is False:
            self.pause()

    def onerror(self, error: BaseException) -> None:
        dest = self.dest
        self.unpipe()
        dest.removeListener("error", self.onerror)
        if dest.listenerCount("error") == 0:
            s = dest._writableState or dest._readableState
            if s is not None and not s.errorEmitted:
                _error_or_destroy(dest, error)
            else:
                dest.emit("error", error)

    def onclose(self, *_: Any) -> None:
        # A socket's 'close' carries had_error: Node's onclose ignores its arguments.
        self.dest.removeListener("finish", self.onfinish)
        self.unpipe()

    def onfinish(self, *_: Any) -> None:
        self.dest.removeListener("close", self.onclose)
        self.unpipe()


# -- Writable -------------------------------------------------------------------------------


class Writable(Stream):
    """Node's ``stream.Writable`` in byte mode.

    ``write()`` hands chunks to the sink (``_write``) one at a time, queueing the rest; it
    returns False once ``writableLength`` reaches ``writableHighWaterMark``, and ``'drain'``
    says when the queue is empty again. ``end()`` then ``_final``, ``'finish'``, and (with
    autoDestroy) ``destroy()`` and ``'close'``.
    """

    __slots__ = ()

    _writableState: _WritableState
    _writev: Callable[[list[dict[str, Any]], Completion], None] | None = None
    #: Node's ``decodeStrings: false`` (``net.Socket``): a queued ``str`` counts in
    #: ``writableLength`` (and against the high-water mark) for its JavaScript length, in
    #: UTF-16 code units, not for the bytes it encodes to.
    _counts_str_units = False
    _final: Callable[[Completion], None] | None = None

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        super().__init__()
        opts = _camel_options(_as_options(options), **kwargs)
        self._writableState = _WritableState(self, opts, False)
        apply_hooks(self, opts, WRITABLE_HOOKS)

    # hooks

    def _write(self, chunk: Any, encoding: str | None, callback: Completion) -> None:
        """Hook: write *chunk* (``bytes`` with *encoding* ``'buffer'``, unless object mode or
        ``decodeStrings: False``), then ``callback()`` (or ``callback(err)``). In object mode
        *encoding* is what ``write()`` was given: None when nothing."""
        if self._writev is None:
            raise make_error("ERR_METHOD_NOT_IMPLEMENTED", "_write()")
        self._writev([{"chunk": chunk, "encoding": encoding}], callback)

    # the producer's side

    def write(
        self,
        chunk: bytes | bytearray | memoryview | str,
        encoding: str | Callback | None = None,
        callback: Callback | None = None,
    ) -> bool:
        """Write *chunk* (a str is encoded with *encoding*, default ``'utf8'``).

        Returns False once the queue reached ``writableHighWaterMark``: wait for ``'drain'``.
        *callback* gets None once the chunk is written, or the error. Writing after ``end()``
        or ``destroy()`` fails asynchronously (ERR_STREAM_WRITE_AFTER_END /
        ERR_STREAM_DESTROYED as ``'error'`` and to *callback*); a chunk of a wrong type raises
        ERR_INVALID_ARG_TYPE at once.
        """
        if is_function(encoding):
            callback, encoding = encoding, None
        # Node: a callback that is no function is ignored.
        done = callback if is_function(callback) else _nop
        # (a function was taken as the callback above: what is left is a name, or junk
        # that _write_chunk refuses as Node does)
        return _write_chunk(self, chunk, cast("str | None", encoding), done) is True

    def end(
        self: _WS,
        chunk: bytes | bytearray | memoryview | str | Callback | None = None,
        encoding: str | Callback | None = None,
        callback: Callback | None = None,
    ) -> _WS:
        """Write *chunk* (if given), then end the stream: ``_final``, then ``'finish'`` once
        every write completed. *callback* is called with None on ``'finish'``, or the error."""
        state = self._writableState
        if is_function(chunk):
            callback, chunk, encoding = chunk, None, None
        elif is_function(encoding):
            callback, encoding = encoding, None
        if not is_function(callback):
            callback = None  # Node ignores a callback that is no function
        error: BaseException | None = None
        if chunk is not None:
            ret = _write_chunk(self, chunk, cast("str | None", encoding), _nop)
            if isinstance(ret, BaseException):
                error = ret
        if state.corked:
            state.corked = 1
            self.uncork()
        if error is not None:
            pass
        elif not state.ending and state.errored is None:
            state.ending = True
            _finish_maybe(self, state, True)
            state.ended = True
        elif state.finished:
            error = make_error("ERR_STREAM_ALREADY_FINISHED", "end")
        elif state.destroyed:
            error = make_error("ERR_STREAM_DESTROYED", "end")
        if callback is not None:
            if error is not None:
                next_tick(callback, error)
            elif state.errored is not None:
                next_tick(callback, state.errored)
            elif state.finished:
                next_tick(callback, None)
            else:
                state.onFinished = [*state.onFinished, callback]
        return self

    def cork(self) -> None:
        """Queue writes until ``uncork()``; they then reach the sink together (``_writev``)."""
        self._writableState.corked += 1

    def uncork(self) -> None:
        """Undo one ``cork()``; the last one flushes the queue."""
        state = self._writableState
        if state.corked:
            state.corked -= 1
            if not state.writing:
                _clear_buffer(self, state)

    def setDefaultEncoding(self: _WS, encoding: str) -> _WS:
        """The encoding of strings written without one (Node: ``'utf8'``)."""
        if isinstance(encoding, str):
            encoding = encoding.lower()
        if not isinstance(encoding, str) or not encoding:
            raise make_error("ERR_UNKNOWN_ENCODING", encoding)
        self._writableState.defaultEncoding = canonical_encoding(encoding)
        return self

    def pipe(
        self,
        destination: _W,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        end: bool | None = None,
    ) -> _W:
        """A Writable cannot be piped from: emits ERR_STREAM_CANNOT_PIPE, as Node does."""
        _error_or_destroy(self, make_error("ERR_STREAM_CANNOT_PIPE"))
        return destination

    # properties

    @property
    def writable(self) -> bool:
        """True while ``write()`` is allowed: not ended, destroyed or errored."""
        state = self._writableState
        return (
            state.writable is not False
            and state.errored is None
            and not (state.ending or state.ended or state.destroyed)
        )

    @writable.setter
    def writable(self, value: bool) -> None:
        self._writableState.writable = bool(value)

    @property
    def writableLength(self) -> int:
        """Bytes written and not yet handed over by the sink (on a ``net.Socket``, a queued
        ``str`` counts its JavaScript length, as Node's ``decodeStrings: false``)."""
        return self._writableState.length

    @property
    def writableHighWaterMark(self) -> int:
        """The queue size from which ``write()`` returns False."""
        return self._writableState.highWaterMark

    @property
    def writableEnded(self) -> bool:
        """True once ``end()`` was called."""
        return self._writableState.ending

    @property
    def writableFinished(self) -> bool:
        """True once ``'finish'`` was emitted."""
        return self._writableState.finished

    @property
    def writableNeedDrain(self) -> bool:
        """True when ``write()`` returned False and ``'drain'`` has not come yet."""
        state = self._writableState
        return state.needDrain and not (state.destroyed or state.ending)

    @property
    def writableCorked(self) -> int:
        """How many ``uncork()`` calls it takes to uncork."""
        return self._writableState.corked

    @property
    def writableAborted(self) -> bool:
        """True when destroyed or errored before ``'finish'``."""
        state = self._writableState
        return (
            state.writable is not False
            and (state.destroyed or state.errored is not None)
            and not state.finished
        )

    @property
    def writableObjectMode(self) -> bool:
        """True when made with ``objectMode`` (or ``writableObjectMode``): ``write()`` takes
        any object but None, and lengths count chunks."""
        return self._writableState.objectMode

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        set_default_encoding = setDefaultEncoding
        writable_aborted = writableAborted
        writable_corked = writableCorked
        writable_ended = writableEnded
        writable_finished = writableFinished
        writable_high_water_mark = writableHighWaterMark
        writable_length = writableLength
        writable_need_drain = writableNeedDrain
        writable_object_mode = writableObjectMode


def js_length(text: str) -> int:
    """A JavaScript string's ``length``: UTF-16 code units (2 for a character past U+FFFF)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) >> 1


def _to_chunk(chunk: object, encoding: str | None, state: _WritableState) -> tuple[Any, str | None]:
    """``write()``'s argument checks and conversion, raising as Node throws: the chunk and
    the encoding ``_write`` gets with it (``'buffer'`` for bytes)."""
    if state.objectMode:
        if chunk is None:
            raise make_error("ERR_STREAM_NULL_VALUES")
        return chunk, encoding  # as given, unchecked (as in Node)
    # Node checks the encoding first (any true value: [] too), then the chunk.
    if not js_truthy(encoding):
        encoding = None
    elif encoding != "buffer":
        encoding = canonical_encoding(encoding)
    if chunk is None:
        raise make_error("ERR_STREAM_NULL_VALUES")
    if isinstance(chunk, str):
        if encoding == "buffer":
            raise make_error("ERR_UNKNOWN_ENCODING", encoding)
        if not state.decodeStrings:
            return chunk, encoding or state.defaultEncoding
        return encode(chunk, encoding or state.defaultEncoding), "buffer"
    if isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk), "buffer"
    raise _chunk_type_error(chunk)


def _write_chunk(
    stream: Writable, chunk: object, encoding: str | None, callback: Callback
) -> bool | BaseException:
    state = stream._writableState
    data: Any
    # (the hot path: bytes and no encoding; `is None` keeps [] and {} for _to_chunk to refuse)
    if type(chunk) is bytes and encoding is None and not state.objectMode:
        data, encoding, size = chunk, "buffer", len(chunk)
    else:
        data, encoding = _to_chunk(chunk, encoding, state)
        if state.objectMode:
            size = 1
        elif isinstance(data, str) or (stream._counts_str_units and isinstance(chunk, str)):
            size = js_length(chunk)  # type: ignore[arg-type]
        else:
            size = len(data)
    if state.ending or state.destroyed:
        if state.ending:
            error = make_error("ERR_STREAM_WRITE_AFTER_END")
        else:
            error = make_error("ERR_STREAM_DESTROYED", "write")
        next_tick(callback, error)
        _error_or_destroy(stream, error, True)
        return error
    state.pendingcb += 1
    length = state.length = state.length + size
    if state.writing or state.corked or state.errored is not None:
        if state.buffered:
            state.buffered.append((data, encoding, callback, size))
        else:
            state.buffered = [(data, encoding, callback, size)]
        if callback is not _nop:
            state.allNoop = False
    else:
        state.writelen = size
        state.writecb = callback
        state.writing = state.sync = True
        stream._write(data, encoding, state.onwrite)
        state.sync = False
        length = state.length
    if length < state.highWaterMark or length == 0:
        return not (state.destroyed or state.errored is not None)
    state.needDrain = True
    return False


def _after_write_tick(stream: Writable, state: _WritableState, info: _AfterWriteTick) -> None:
    state.afterWriteTickInfo = None
    _after_write(stream, state, info.count, info.callback)


def _after_write(stream: Writable, state: _WritableState, count: int, callback: Callback) -> None:
    state.afterWritePending = False
    if state.needDrain and not (state.ending or state.destroyed) and state.length == 0:
        state.needDrain = False
        stream.emit("drain")
    for _ in range(count):
        state.pendingcb -= 1
        # (run_callback inlined: this runs for every write.)
        try:
            callback(None)
        except BaseException:
            report_current()
    if state.destroyed:
        _error_buffer(state)
    if state.ending:
        _finish_maybe(stream, state, True)


def _on_write_error(
    stream: Writable, state: _WritableState, error: BaseException, callback: Callback
) -> None:
    state.pendingcb -= 1
    run_callback(callback, error)
    _error_buffer(state)  # the queued writes' callbacks, even without autoDestroy
    _error_or_destroy(stream, error)


def _error_buffer(state: _WritableState) -> None:
    """Fail the queued writes and the ``end()`` callbacks (destroyed or errored)."""
    if state.writing:
        return
    queued = state.buffered
    state.buffered = ()
    state.allNoop = True
    for _, _, callback, size in queued:
        state.length -= size
        run_callback(callback, state.errored or make_error("ERR_STREAM_DESTROYED", "write"))
    _call_finished_callbacks(state, state.errored or make_error("ERR_STREAM_DESTROYED", "end"))


def _clear_buffer(stream: Writable, state: _WritableState) -> None:
    """Hand queued chunks to the sink: all at once through ``_writev`` when there are several
    and it exists, else one by one while the sink completes synchronously."""
    buffered = state.buffered
    if state.destroyed or state.bufferProcessing or state.corked or not buffered:
        return
    state.bufferProcessing = True
    if len(buffered) > 1 and stream._writev is not None:
        state.buffered = ()
        state.pendingcb -= len(buffered) - 1
        callback: Callback = _nop if state.allNoop else _callback_all(buffered)
        state.allNoop = True
        chunks = [{"chunk": chunk, "encoding": encoding} for chunk, encoding, _, _ in buffered]
        _do_write(stream, state, state.length, chunks, "", callback, True)
    else:
        # Re-read each time: a synchronous completion may fail and empty the queue.
        while state.buffered:
            chunk, encoding, callback, size = state.buffered.pop(0)
            _do_write(stream, state, size, chunk, encoding, callback, False)
            if state.writing:
                break
        if not state.buffered:
            state.buffered = ()
            state.allNoop = True
    state.bufferProcessing = False


def _callback_all(queued: list[tuple[Any, str | None, Callback, int]]) -> Callback:
    def callback(error: BaseException | None) -> None:
        for _, _, each, _ in queued:
            run_callback(each, error)

    return callback


def _do_write(
    stream: Writable,
    state: _WritableState,
    length: int,
    chunk: Any,
    encoding: str | None,
    callback: Callback,
    writev: bool,
) -> None:
    state.writelen = length
    state.writecb = callback
    state.writing = state.sync = True
    if state.destroyed:
        state.onwrite(make_error("ERR_STREAM_DESTROYED", "write"))
    elif writev:
        assert stream._writev is not None
        stream._writev(chunk, state.onwrite)
    else:
        stream._write(chunk, encoding, state.onwrite)
    state.sync = False


def _need_finish(state: _WritableState) -> bool:
    return (
        state.ending
        and state.length == 0
        and not (
            state.destroyed
            or state.finished
            or state.writing
            or state.errorEmitted
            or state.closeEmitted
            or state.errored is not None
            or state.buffered
        )
    )


def _finish_maybe(stream: Writable, state: _WritableState, sync: bool) -> None:
    if not _need_finish(state):
        return
    _prefinish(stream, state)
    if state.pendingcb == 0:
        state.pendingcb += 1
        if sync:
            next_tick(_finish_if_still_needed, stream, state)
        else:
            _finish(stream, state)


def _finish_if_still_needed(stream: Writable, state: _WritableState) -> None:
    if _need_finish(state):
        _finish(stream, state)
    else:
        state.pendingcb -= 1


def _prefinish(stream: Writable, state: _WritableState) -> None:
    if state.prefinished or state.finalCalled:
        return
    final = stream._final
    if final is None or state.destroyed:
        state.finalCalled = state.prefinished = True
        stream.emit("prefinish")
        return
    state.finalCalled = state.sync = True
    state.pendingcb += 1

    def on_final(error: BaseException | None = None, /) -> None:
        _on_final(stream, state, error)

    try:
        final(on_final)
    except Exception as err:
        _on_final(stream, state, err)
    state.sync = False


def _on_final(stream: Writable, state: _WritableState, error: BaseException | None) -> None:
    if state.prefinished:
        _error_or_destroy(stream, error or make_error("ERR_MULTIPLE_CALLBACK"))
        return
    state.pendingcb -= 1
    if error is not None:
        _call_finished_callbacks(state, error)
        _error_or_destroy(stream, error, state.sync)
    elif _need_finish(state):
        state.prefinished = True
        stream.emit("prefinish")
        state.pendingcb += 1
        next_tick(_finish, stream, state)


def _finish(stream: Writable, state: _WritableState) -> None:
    state.pendingcb -= 1
    state.finished = True
    if state.onFinished:
        _call_finished_callbacks(state, None)
    stream.emit("finish")
    if state.autoDestroy:
        r = stream._readableState
        if r is None or (r.autoDestroy and (r.endEmitted or r.readable is False)):
            stream.destroy()


def _call_finished_callbacks(state: _WritableState, error: BaseException | None) -> None:
    callbacks, state.onFinished = state.onFinished, ()
    for callback in callbacks:
        run_callback(callback, error)


# -- Duplex ---------------------------------------------------------------------------------


class Duplex(Readable, Writable):
    """Node's ``stream.Duplex``: a Readable and a Writable in one object, as a socket is.

    With ``allowHalfOpen`` False (the default is True), the end of the readable side ends the
    writable side too, after the writes already queued (Node calls ``end()`` on the next tick
    after ``'end'``).
    """

    __slots__ = ()

    _readableState: _ReadableState
    _writableState: _WritableState

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        opts = _camel_options(_as_options(options), **kwargs)
        self._init_duplex(opts)
        apply_hooks(self, opts, DUPLEX_HOOKS)

    def _init_duplex(self, opts: Mapping[str, Any]) -> None:
        """``__init__`` with options already in camelCase (a subclass's constructor)."""
        EventEmitter.__init__(self)
        self._readableState = r = _ReadableState(opts, True)
        self._writableState = w = _WritableState(self, opts, True)
        self._allowHalfOpen = opts.get("allowHalfOpen") is not False
        if opts.get("readable") is False:
            r.readable = False
            r.ended = r.endEmitted = True
        if opts.get("writable") is False:
            w.writable = False
            w.ending = w.ended = w.finished = True

    def _states(self) -> tuple[_State, ...]:
        return (self._readableState, self._writableState)

    @property
    def allowHalfOpen(self) -> bool:
        """False: end the writable side when the readable side ends."""
        return self._allowHalfOpen

    @allowHalfOpen.setter
    def allowHalfOpen(self, value: bool) -> None:
        self._allowHalfOpen = bool(value)

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        allow_half_open = allowHalfOpen
