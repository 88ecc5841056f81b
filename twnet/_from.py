"""Node's ``Readable.from(iterable[, options])``: a Readable over an iterable.

Python's iterables stand for JavaScript's: a sync iterable (a list, a generator...) or an async
iterable (an async generator, anything with ``__aiter__``). Async ones are stepped in Twisted
coroutines (``Deferred.fromCoroutine``), so they may await Deferreds. As in Node, the stream is
in object mode with ``highWaterMark`` 1 unless *options* say otherwise, a ``str`` or ``bytes``
is one chunk (not iterated), a ``None`` item fails the stream with ``ERR_STREAM_NULL_VALUES``,
an exception from the iterable destroys the stream with it, and destroying the stream closes
the iterator (``throw(err)`` first when destroyed with an error, then ``close()`` /
``aclose()``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from twnet._errors import invalid_arg_type, make_error
from twnet._naming import options as _camel_options
from twnet._runtime import dispatch, next_tick
from twnet._streams import Completion, Readable
from twnet._streams.readable import install_from
from twnet._streams.state import _as_options

__all__ = ["readable_from"]


def readable_from(
    iterable: Any, options: Mapping[str, Any] | None = None, /, **kwargs: Any
) -> Readable:
    """The implementation of :meth:`Readable.from_`."""
    opts = {"objectMode": True, **_camel_options(_as_options(options), **kwargs)}
    if isinstance(iterable, str | bytes | bytearray | memoryview):
        whole = bytes(iterable) if not isinstance(iterable, str | bytes) else iterable

        def read_once(stream: Readable, size: int) -> None:
            stream.push(whole)
            stream.push(None)

        return Readable(opts, read=read_once)
    if isinstance(iterable, Mapping):
        # a dict is Node's plain object, which is not iterable
        raise invalid_arg_type("iterable", ["Iterable"], iterable)
    if hasattr(iterable, "__aiter__"):
        return _AsyncIterableReadable(iterable.__aiter__(), {"highWaterMark": 1, **opts})
    try:
        iterator = iter(iterable)
    except TypeError:
        raise invalid_arg_type("iterable", ["Iterable"], iterable) from None
    return _IterableReadable(iterator, {"highWaterMark": 1, **opts})


class _IterableReadable(Readable):
    """``Readable.from`` over a sync iterator: pulls items while ``push()`` wants more."""

    __slots__ = ()

    def __init__(self, iterator: Iterator[Any], opts: Mapping[str, Any]) -> None:
        super().__init__(opts)
        self._iterator = iterator
        self._reading = False

    def _read(self, size: int) -> None:
        if self._reading:
            return
        self._reading = True
        try:
            while True:
                try:
                    value = next(self._iterator)
                except StopIteration:
                    self.push(None)
                    return
                if value is None:
                    self._reading = False
                    raise make_error("ERR_STREAM_NULL_VALUES")
                if not self.push(value):
                    self._reading = False
                    return
        except Exception as error:
            self.destroy(error)

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        iterator = self._iterator
        try:
            throw = getattr(iterator, "throw", None)
            if error is not None and throw is not None and isinstance(error, Exception):
                try:
                    throw(error)
                except StopIteration:
                    next_tick(callback, error)
                    return
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
        except Exception as failure:
            next_tick(callback, failure if failure is not error else error)
            return
        next_tick(callback, error)


class _AsyncIterableReadable(Readable):
    """``Readable.from`` over an async iterator, stepped in a Twisted coroutine."""

    __slots__ = ()

    def __init__(self, iterator: AsyncIterator[Any], opts: Mapping[str, Any]) -> None:
        super().__init__(opts)
        self._iterator = iterator
        self._reading = False

    def _read(self, size: int) -> None:
        if not self._reading:
            self._reading = True
            Deferred.fromCoroutine(self._pull()).addErrback(_report)

    async def _pull(self) -> None:
        while True:
            try:
                value = await self._iterator.__anext__()
            except StopAsyncIteration:
                dispatch(self.push, None)
                return
            except Exception as error:
                dispatch(self.destroy, error)
                return
            if value is None:
                self._reading = False
                dispatch(self.destroy, make_error("ERR_STREAM_NULL_VALUES"))
                return
            if not dispatch(self.push, value):
                self._reading = False
                return

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        Deferred.fromCoroutine(self._close(error)).addCallback(
            lambda outcome: dispatch(next_tick, callback, outcome)
        ).addErrback(_report)

    async def _close(self, error: BaseException | None) -> BaseException | None:
        iterator = self._iterator
        try:
            athrow = getattr(iterator, "athrow", None)
            if error is not None and athrow is not None and isinstance(error, Exception):
                try:
                    await athrow(error)
                except StopAsyncIteration:
                    return error
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        except Exception as failure:
            return failure
        return error


def _report(failure: Failure) -> None:
    from twnet._runtime import report_uncaught

    report_uncaught(failure)


install_from(readable_from)
