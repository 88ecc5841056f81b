"""The state each side of a stream keeps (Node's ``ReadableState`` / ``WritableState``),
the defaults and the option reading they share: data, no behaviour."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from twnet._encoding import StringDecoder, canonical_encoding
from twnet._errors import invalid_arg_type, make_error
from twnet._events import EventEmitter
from twnet._validators import (
    as_double,
    is_integer,
    js_truthy,
    validate_encoding,
    validate_integer,
)

__all__ = [
    "DEFAULT_HIGH_WATER_MARK",
    "DEFAULT_OBJECT_HIGH_WATER_MARK",
    "Callback",
    "Completion",
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


def _nop(error: BaseException | None = None, /) -> None:
    return None


def _as_options(options: object) -> Mapping[str, Any] | None:
    """A stream constructor's options: Node reads its options' properties without checking
    their type, so anything that is no dict (an Array, a number) has none."""
    return options if isinstance(options, Mapping) else None


# -- state ----------------------------------------------------------------------------------


#: The defaults ``stream.setDefaultHighWaterMark`` changes: [bytes, objects].
_default_high_water_marks = [DEFAULT_HIGH_WATER_MARK, DEFAULT_OBJECT_HIGH_WATER_MARK]


def get_default_high_water_mark(object_mode: object) -> int:
    """Node's ``getDefaultHighWaterMark(objectMode)`` (*objectMode* read as JavaScript
    truthiness)."""
    return _default_high_water_marks[1 if js_truthy(object_mode) else 0]


def set_default_high_water_mark(object_mode: object, value: object) -> None:
    """Node's ``setDefaultHighWaterMark(objectMode, value)``."""
    number = validate_integer(value, "value", 0)
    _default_high_water_marks[1 if js_truthy(object_mode) else 0] = number


def _high_water_mark(
    opts: Mapping[str, Any], side_key: str, is_duplex: bool, object_mode: bool = False
) -> int:
    value = opts.get("highWaterMark")
    if value is None and is_duplex:
        value = opts.get(side_key)
    if value is None:
        return _default_high_water_marks[1 if object_mode else 0]
    # Node's getHighWaterMark; an int too big for a double is JavaScript's Infinity
    if not is_integer(value) or value < 0 or math.isinf(as_double(value)):
        name = f"options.{side_key}" if is_duplex else "options.highWaterMark"
        raise make_error("ERR_INVALID_ARG_VALUE", name, value)
    return int(value)


def _chunk_type_error(chunk: object) -> BaseException:
    return invalid_arg_type("chunk", ["string", "Buffer", "TypedArray", "DataView"], chunk)


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
        else:
            self.highWaterMark = _default_high_water_marks[1 if object_mode else 0]
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
    pipes: tuple[EventEmitter, ...]
    awaitDrainWriters: tuple[EventEmitter, ...]  # a set buys nothing for one or two pipes

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


class _WritableStateBase(_State):
    """The writable side's fields; :mod:`twnet._streams.writable` adds the sink's
    completion callback (``onwrite``)."""

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

    def __init__(self, opts: Mapping[str, Any], is_duplex: bool) -> None:
        super().__init__(opts, "writableHighWaterMark", is_duplex)
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


# -- the readable buffer's arithmetic (Node's howMuchToRead / fromList) ----------------


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


def _can_push_more(state: _ReadableState) -> bool:
    return not state.ended and (state.length < state.highWaterMark or state.length == 0)


def _string_encoding(encoding: object, state: _ReadableState) -> str:
    """The encoding of a string pushed or unshifted: Node's ``Buffer.from(chunk, encoding
    || defaultEncoding)``, which reads a name that is no string as utf8 and refuses an
    unknown one (ERR_UNKNOWN_ENCODING)."""
    name = encoding if js_truthy(encoding) else state.defaultEncoding
    return canonical_encoding(name) if isinstance(name, str) else "utf8"
