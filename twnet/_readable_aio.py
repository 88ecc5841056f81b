"""A Readable's ``async for`` and a stream's ``async with``, as Node's.

``async for chunk in readable`` is Node's ``for await (const chunk of readable)``
(``createAsyncIterator`` in Node's ``lib/internal/streams/readable.js``): it pulls with
``read()`` on each ``'readable'``, so a chunk is what ``read()`` returns — each one as it
arrives, or what accumulated while the loop body ran, joined (``str`` after ``setEncoding``);
the loop ends at the end of the stream (``finished()``'s view: ``'end'``), raises the stream's
error (or ``ERR_STREAM_PREMATURE_CLOSE`` when it closes before its end), and leaving it early
destroys the stream — with ``AbortError`` unless the stream had finished — unless the iterator
came from ``iterator(destroyOnReturn=False)``. After a normal end an ``autoDestroy`` stream is
destroyed too (with ``AbortError`` if its writable side is still open), as in Node 24 — except
a half-open Duplex (``allowHalfOpen``, writable side not ended), which stays open.

Python's ``async for`` does not tell its iterator that the loop was left, as JavaScript's
``for await`` calls ``return()``: the iterator here acts when it is dropped, which CPython
does at once when the loop it belongs to is left (by ``break``, ``return`` or an exception).
An iterator kept in a variable (``it = sock.iterator()``) is not dropped by the loop: call
``await it.aclose()`` (Node's ``return()``).

``async with stream`` is Node's ``stream[Symbol.asyncDispose]()``: a stream not yet destroyed
is destroyed (with ``AbortError`` unless its readable side had ended — its writable side had
finished, for a Writable); the exit completes once ``finished()`` reports, and fails with its
error unless that is the one the stream was destroyed with (a Writable: unless it is an
``AbortError``).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from twisted.internet.defer import Deferred

from twnet._awaitable import AwaitableDeferred, after_ticks, failed, succeeded
from twnet._eos import _eos, _is_destroyed, _is_readable, _is_writable
from twnet._errors import abort_error
from twnet._streams import aio as _streams_aio

__all__ = ["ReadableIterator", "dispose_readable", "dispose_writable"]

_UNSET: Any = object()  # JavaScript's undefined, where Node tells it from null


def destroyer(stream: Any) -> None:
    """Node's ``destroyImpl.destroyer(stream, null)``: destroy a stream that is not yet,
    with ``AbortError`` unless it is finished (both sides done)."""
    if _is_destroyed(stream):
        return
    unfinished = _is_readable(stream) or _is_writable(stream)
    stream.destroy(abort_error() if unfinished else None)


class _Iteration:
    """The state of one ``async for`` over a Readable: its listeners, the error or end that
    ``finished()`` reported, and the consumers waiting for a chunk."""

    def __init__(self, stream: Any, destroy_on_return: bool) -> None:
        self.stream = stream
        self.destroy_on_return = destroy_on_return
        self.started = False
        self.done = False
        self.error: Any = _UNSET  # None once finished cleanly, the error if not
        self.waiting: deque[AwaitableDeferred[Any]] = deque()
        self.woken = False
        self.cleanup: Any = None

    def start(self) -> None:
        self.started = True
        self.stream.on("readable", self.on_readable)
        self.cleanup = _eos(self.stream, {"writable": False}, self.on_finished)

    # -- the stream's side ----------------------------------------------------------------

    def on_readable(self, *_: Any) -> None:
        self.wake()

    def on_finished(self, error: BaseException | None = None, *_: Any) -> None:
        if self.error is _UNSET or self.error is None:
            self.error = error if error is not None else None
        self.wake()

    def wake(self) -> None:
        # The consumers resume after the emit that woke them, once the ticks it queued ran
        # (Node settles a promise).
        if self.waiting and not self.woken:
            self.woken = True
            after_ticks(self.serve)

    def serve(self) -> None:
        self.woken = False
        while self.waiting:
            waiting = self.waiting.popleft()
            if waiting.called:  # cancelled meanwhile
                continue
            outcome = self.pull()
            if outcome is _UNSET:
                self.waiting.appendleft(waiting)
                return
            if isinstance(outcome, BaseException):
                waiting.errback(outcome)
            else:
                waiting.callback(outcome)

    # -- the consumer's side --------------------------------------------------------------

    def pull(self) -> Any:
        """A chunk, the exception that ends the loop, or _UNSET: wait."""
        if self.done:
            return StopAsyncIteration()
        stream = self.stream
        chunk = None if stream.destroyed else stream.read()
        if chunk is not None:
            return chunk
        if self.error is not _UNSET and self.error is not None:
            error = self.error
            self.finish()
            return error
        if self.error is None:
            self.finish()
            return StopAsyncIteration()
        return _UNSET

    def next(self) -> AwaitableDeferred[Any]:
        if not self.started and not self.done:
            self.start()
        if not self.waiting:
            outcome = self.pull()
            if isinstance(outcome, BaseException):
                return failed(outcome)
            if outcome is not _UNSET:
                return succeeded(outcome)
        waiting: AwaitableDeferred[Any] = AwaitableDeferred(self.cancelled)
        self.waiting.append(waiting)
        return waiting

    def cancelled(self, waiting: Deferred[Any]) -> None:
        self.waiting = deque(w for w in self.waiting if w is not waiting)

    def finish(self) -> None:
        """Node's ``finally``: destroy the stream (after an error, after the end of an
        autoDestroy stream, or on an early exit unless destroyOnReturn is False), else stop
        listening."""
        if self.done:
            return
        self.done = True
        stream, error = self.stream, self.error
        if not self.started:
            return
        auto_destroy = getattr(stream._readableState, "autoDestroy", True)
        # Node 24: a half-open Duplex (allowHalfOpen) whose readable side ended cleanly keeps
        # its writable side
        half_open = (
            error is None
            and getattr(stream, "allowHalfOpen", False) is True
            and getattr(stream, "writable", False) is True
            and getattr(stream, "writableEnded", False) is not True
        )
        failed_ = error is not _UNSET and error is not None
        if (
            (failed_ or self.destroy_on_return)
            and (error is _UNSET or auto_destroy)
            and not half_open
        ):
            destroyer(stream)
        else:
            stream.removeListener("readable", self.on_readable)
            self.cleanup()
        while self.waiting:
            waiting = self.waiting.popleft()
            if not waiting.called:
                waiting.errback(StopAsyncIteration())


class ReadableIterator:
    """What ``async for`` over a Readable uses (``readable.iterator()``): an async iterator
    of chunks; :meth:`aclose` is Node's ``return()``. See :mod:`twnet._readable_aio`."""

    def __init__(self, stream: Any, destroy_on_return: bool = True) -> None:
        self._iteration = _Iteration(stream, destroy_on_return)

    @property
    def stream(self) -> Any:
        """The stream iterated (Node's ``iterator.stream``)."""
        return self._iteration.stream

    def __aiter__(self) -> ReadableIterator:
        return self

    def __anext__(self) -> AwaitableDeferred[Any]:
        """The next chunk (an AwaitableDeferred); fails with StopAsyncIteration at the end,
        or with the stream's error."""
        return self._iteration.next()

    def aclose(self) -> AwaitableDeferred[None]:
        """Node's ``iterator.return()``: leave the loop (destroying the stream unless
        ``destroyOnReturn`` is False)."""
        self._iteration.finish()
        return succeeded(None)

    def __del__(self) -> None:
        # ``async for`` drops its iterator when the loop is left: Node's return()
        self._iteration.finish()


def dispose_readable(stream: Any) -> AwaitableDeferred[None]:
    """Node's ``readable[Symbol.asyncDispose]()``."""
    error: BaseException | None = None
    if not stream.destroyed:
        error = None if stream.readableEnded else abort_error()
        stream.destroy(error)
    return _disposed(stream, lambda err: err is error)


def dispose_writable(stream: Any) -> AwaitableDeferred[None]:
    """Node's ``writable[Symbol.asyncDispose]()``."""
    if not stream.destroyed:
        stream.destroy(None if stream.writableFinished else abort_error())
    return _disposed(stream, lambda err: getattr(err, "name", None) == "AbortError")


def _disposed(stream: Any, expected: Any) -> AwaitableDeferred[None]:
    """Completes when ``finished(stream)`` calls back; fails with its error unless
    ``expected(error)``."""
    result: AwaitableDeferred[None] = AwaitableDeferred()

    def on_finished(error: BaseException | None = None, *_: Any) -> None:
        if error is not None and not expected(error):
            result.errback(error)
        else:
            result.callback(None)

    _eos(stream, {}, on_finished)
    return result


_streams_aio.install(ReadableIterator, succeeded, dispose_readable, dispose_writable)
