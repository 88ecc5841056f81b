"""Node's ``stream.Readable`` (``internal/streams/readable.js``): the buffer, the paused,
flowing and ``'readable'`` modes, ``read()``, ``push()``, ``'end'`` and ``pipe()``."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from twnet._encoding import StringDecoder, decode, encode
from twnet._errors import engine_type_error, make_error
from twnet._events import EventEmitter, EventName, Listener, _MethodOnce
from twnet._naming import options as _camel_options
from twnet._streams.aio import ReadableAsyncMixin
from twnet._streams.destroy import Stream, _error_or_destroy
from twnet._streams.hooks import READABLE_HOOKS, apply_hooks
from twnet._streams.pipe import _Pipe
from twnet._streams.state import (
    _as_options,
    _can_push_more,
    _chunk_type_error,
    _from_list,
    _how_much_to_read,
    _next_power_of_2,
    _ReadableState,
    _string_encoding,
)
from twnet._streams.writable import Writable, _end_writable_side
from twnet._ticks import next_tick
from twnet._validators import (
    is_integer,
    parse_int,
)

__all__ = ["Readable"]

_W = TypeVar("_W", bound=Writable)
_R = TypeVar("_R", bound="Readable")


#: The implementation of :meth:`Readable.from_`, :func:`twnet._from.readable_from`: that
#: module installs it (:func:`install_from`) when imported, as ``import twnet`` does. It
#: drives async iterables with Deferreds, on the Twisted side, which the core cannot import.
_from_impl: Callable[..., Readable] | None = None


def install_from(impl: Callable[..., Readable]) -> None:
    """Install the implementation of :meth:`Readable.from_` (:mod:`twnet._from` does)."""
    global _from_impl
    _from_impl = impl


class Readable(ReadableAsyncMixin, Stream):
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
        if _from_impl is None:
            raise RuntimeError("twnet._from is not imported (importing twnet imports it)")
        return _from_impl(iterable, options, **kwargs)

    def _after_construct(self) -> None:
        state = self._readableState
        if state.needReadable:
            _maybe_read_more(self, state)
        super()._after_construct()

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

    def on(self: _R, name: EventName, listener: Listener) -> _R:
        """``EventEmitter.on``; a ``'data'`` listener also starts flowing mode (unless paused
        explicitly) and a ``'readable'`` listener switches to pulling with ``read()``."""
        self._add(name, listener, False)
        if name == "data" or name == "readable":
            _listener_added(self, name)
        return self

    addListener = on

    def once(self: _R, name: EventName, listener: Listener) -> _R:
        """``EventEmitter.once``, switching modes as :meth:`on` does."""
        EventEmitter.once(self, name, listener)
        if name == "data" or name == "readable":
            _listener_added(self, name)
        return self

    def removeListener(self: _R, name: EventName, listener: Listener) -> _R:
        """``EventEmitter.removeListener``, updating the mode as Node does."""
        EventEmitter.removeListener(self, name, listener)
        if name == "readable":
            next_tick(_update_readable_listening, self)
        elif name == "data" and "data" not in self._events:
            self._readableState.dataListening = False
        return self

    off = removeListener

    def removeAllListeners(self: _R, name: EventName | None = None) -> _R:
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
