"""Node's ``stream.Writable`` (``internal/streams/writable.js``): ``write()``, the queue,
corking, ``end()``, ``_final`` and ``'finish'``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from twnet._callables import settle
from twnet._encoding import canonical_encoding, encode
from twnet._errors import make_error
from twnet._naming import options as _camel_options
from twnet._streams.aio import WritableAsyncMixin
from twnet._streams.destroy import (
    Stream,
    _call_finished_callbacks,
    _error_buffer,
    _error_or_destroy,
)
from twnet._streams.hooks import WRITABLE_HOOKS, apply_hooks
from twnet._streams.state import (
    Callback,
    Completion,
    _AfterWriteTick,
    _as_options,
    _chunk_type_error,
    _nop,
    _WritableStateBase,
)
from twnet._ticks import callback_failed, next_tick, run_callback
from twnet._validators import (
    is_function,
    js_truthy,
)

__all__ = ["Writable"]

_W = TypeVar("_W", bound="Writable")
_WS = TypeVar("_WS", bound="Writable")


class _WritableState(_WritableStateBase):
    """The writable state of one stream, with the sink's completion callback."""

    __slots__ = ("stream",)

    def __init__(self, stream: Writable, opts: Mapping[str, Any], is_duplex: bool) -> None:
        super().__init__(opts, is_duplex)
        self.stream = stream

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


class Writable(WritableAsyncMixin, Stream):
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

    def _after_construct(self) -> None:
        state = self._writableState
        _clear_buffer(self, state)
        _finish_maybe(self, state, False)
        super()._after_construct()

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
            result = callback(None)
        except BaseException as error:
            result = callback_failed(callback, (None,), error)
        if result is not None:
            settle(result)
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


def _end_writable_side(stream: Writable) -> None:
    if stream.writable:  # not ended (writableEnded), destroyed or errored
        stream.end()
