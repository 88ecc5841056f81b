"""Node's small ``stream`` module functions: ``addAbortSignal``, ``isErrored``,
``isReadable``, ``getDefaultHighWaterMark`` and ``setDefaultHighWaterMark`` (all stable in
Node 24)."""

from __future__ import annotations

from typing import Any, TypeVar

from twnet._abort import add_abort_signal, validate_abort_signal
from twnet._eos import _is_readable, is_node_stream
from twnet._errors import invalid_arg_type
from twnet._streams.state import get_default_high_water_mark, set_default_high_water_mark

__all__ = [
    "addAbortSignal",
    "getDefaultHighWaterMark",
    "isErrored",
    "isReadable",
    "setDefaultHighWaterMark",
]

_S = TypeVar("_S")


def addAbortSignal(signal: Any, stream: _S) -> _S:
    """Node's ``stream.addAbortSignal(signal, stream)``: destroy *stream* with an
    ``AbortError`` (its ``cause`` the signal's reason) when *signal* aborts — at once if it
    already has. Returns *stream*. *signal* must be an AbortSignal
    (``ERR_INVALID_ARG_TYPE``), *stream* a stream."""
    if signal is None:  # Node's own check here takes no undefined either
        raise invalid_arg_type("signal", "AbortSignal", signal)
    validate_abort_signal(signal, "signal")
    if not is_node_stream(stream):
        raise invalid_arg_type("stream", ["ReadableStream", "WritableStream", "Stream"], stream)
    result: _S = add_abort_signal(signal, stream)
    return result


def isErrored(stream: Any) -> bool:
    """Node's ``stream.isErrored(stream)``: whether the stream has met an error (its
    ``'error'`` emitted, or an error recorded to be). False for what is no stream."""
    r = getattr(stream, "_readableState", None)
    w = getattr(stream, "_writableState", None)
    for value in (
        getattr(stream, "readableErrored", None),
        getattr(stream, "writableErrored", None),
        getattr(r, "errorEmitted", None),
        getattr(w, "errorEmitted", None),
        getattr(r, "errored", None),
        getattr(w, "errored", None),
    ):
        if value is not None:  # JavaScript's ?? chain: the first that is not null
            return bool(value)
    return False


def isReadable(stream: Any) -> bool | None:
    """Node's ``stream.isReadable(stream)``: whether data may still be read from it (not
    destroyed, not ended); None (Node's null) for what has no boolean ``readable``."""
    return _is_readable(stream)


def getDefaultHighWaterMark(objectMode: object) -> int:
    """Node's ``stream.getDefaultHighWaterMark(objectMode)``: the ``highWaterMark`` a new
    stream gets when its options give none (65536 bytes; 16 objects in object mode)."""
    return get_default_high_water_mark(objectMode)


def setDefaultHighWaterMark(objectMode: object, value: object) -> None:
    """Node's ``stream.setDefaultHighWaterMark(objectMode, value)``: change that default for
    the streams made from now on (sockets included). *value* must be an integer >= 0
    (``ERR_INVALID_ARG_TYPE`` / ``ERR_OUT_OF_RANGE``)."""
    set_default_high_water_mark(objectMode, value)
