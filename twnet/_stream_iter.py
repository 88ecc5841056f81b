"""Two stream helpers of Node's that ``pipeline`` and ``Duplex.from`` share.

:func:`destroyer` is Node's ``destroyer(stream, err)`` (``internal/streams/destroy``): destroy a
stream unless it already is, with an ``AbortError`` when no error is given and the stream has
not finished.

:func:`stream_chunks` is Node's ``createAsyncIterator(stream)``: what a Readable's chunks look
like as an async iterator when ``pipeline`` reads a stream it cannot pipe (a Duplex made of a
Writable, whose readable side is closed) or hands a stream to a function stage. It reads with
``read()`` on ``'readable'``, ends when the stream ends, raises the stream's error, and on the
way out (an early ``aclose()`` included) destroys the stream, unless it ended cleanly and is a
half-open Duplex still writable (Node 24).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from twisted.internet.defer import Deferred

from twnet._eos import _eos, _is_destroyed, _is_readable, _is_writable, is_node_stream
from twnet._errors import abort_error, aggregate_error
from twnet._runtime import next_tick

__all__ = ["aggregate_two", "destroyer", "stream_chunks"]


def destroyer(stream: Any, error: BaseException | None = None) -> None:
    """Node's ``destroyer(stream, err)``: destroy *stream* unless it already is (with an
    ``AbortError`` when it is given no error and has not finished)."""
    if not stream or not is_node_stream(stream) or _is_destroyed(stream):
        return
    if error is None and not _is_finished(stream):
        error = abort_error()
    destroy = getattr(stream, "destroy", None)
    if callable(destroy):
        destroy(error)
    elif callable(getattr(stream, "close", None)):
        stream.close()
    elif error is not None:
        next_tick(_emit_error_close, stream, error)
    else:
        next_tick(stream.emit, "close")


def _emit_error_close(stream: Any, error: BaseException) -> None:
    stream.emit("error", error)
    stream.emit("close")


def _is_finished(stream: Any) -> bool:
    return _is_destroyed(stream) or not (_is_readable(stream) or _is_writable(stream))


def aggregate_two(inner: BaseException | None, outer: BaseException | None) -> Any:
    """Node's ``aggregateTwoErrors(inner, outer)``: both in one ``AggregateError`` (the outer
    one first), or whichever one there is."""
    if inner is not None and outer is not None and inner is not outer:
        errors = getattr(outer, "errors", None)
        if isinstance(errors, list):
            errors.append(inner)
            return outer
        return aggregate_error([outer, inner])
    return inner if inner is not None else outer


#: ``error`` of :func:`stream_chunks` before the stream is done (JavaScript's ``undefined``).
_PENDING = object()


async def stream_chunks(stream: Any, destroy_on_return: bool = True) -> AsyncIterator[Any]:
    """Node's ``createAsyncIterator(stream, {destroyOnReturn})`` (see the module)."""
    waiting: list[Deferred[None]] = []
    error: Any = _PENDING  # None: ended without error

    def wake(*_: Any) -> None:
        if waiting:
            waiting.pop().callback(None)

    def on_done(err: BaseException | None = None) -> None:
        nonlocal error
        error = aggregate_two(None if error is _PENDING else error, err) if err else None
        wake()

    stream.on("readable", wake)
    cleanup = _eos(stream, {"writable": False}, on_done)
    try:
        while True:
            chunk = None if getattr(stream, "destroyed", False) else stream.read()
            if chunk is not None:
                yield chunk
            elif error is not _PENDING and error is not None:
                raise error
            elif error is None:
                return
            else:
                waiting.append(Deferred())
                await waiting[-1]
    except Exception as err:
        error = aggregate_two(None if error is _PENDING else error, err)
        if error is err:
            raise
        raise error from err
    finally:
        state = getattr(stream, "_readableState", None)
        auto_destroy = state is None or state.autoDestroy
        # Node 24: a half-open Duplex whose writable side is still open stays open
        preserve_half_open = (
            error is None
            and getattr(stream, "allowHalfOpen", None) is True
            and getattr(stream, "writable", None) is True
            and getattr(stream, "writableEnded", None) is not True
        )
        if (
            ((error is not _PENDING and error is not None) or destroy_on_return)
            and (error is _PENDING or auto_destroy)
            and not preserve_half_open
        ):
            destroyer(stream, None)
        else:
            stream.off("readable", wake)
            cleanup()
