"""Node's ``Readable.from(iterable[, options])``: a Readable over an iterable.

Python's iterables stand for JavaScript's: a sync iterable (a list, a generator...) or an async
iterable (an async generator, anything with ``__aiter__``). Async ones are stepped in Twisted
coroutines (``Deferred.fromCoroutine``), so they may await Deferreds. As in Node, the stream is
in object mode with ``highWaterMark`` 1 unless *options* say otherwise, a ``str`` or ``bytes``
is one chunk (not iterated), an awaitable item of a sync iterable (a Deferred, a coroutine) is
awaited and its result pushed, a ``None`` item fails the stream with
``ERR_STREAM_NULL_VALUES``, an exception from the iterable destroys the stream with it, and
destroying the stream closes the iterator (``throw(err)`` first when destroyed with an error,
then ``close()`` / ``aclose()``).

:func:`from_iterable` is the part ``Duplex.from`` shares (Node's ``internal/streams/from``): it
makes the stream with a given constructor and installs the reading and destroying hooks on it.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from twnet._errors import aggregate_error, invalid_arg_type, make_error
from twnet._naming import options as _camel_options
from twnet._runtime import dispatch, next_tick
from twnet._streams import Completion, Readable, Stream
from twnet._streams.readable import install_from
from twnet._streams.state import _as_options

__all__ = ["as_deferred", "from_iterable", "is_awaitable", "is_js_iterable", "readable_from"]


def readable_from(
    iterable: Any, options: Mapping[str, Any] | None = None, /, **kwargs: Any
) -> Readable:
    """The implementation of :meth:`Readable.from_`."""
    opts = _camel_options(_as_options(options), **kwargs)
    stream = from_iterable(Readable, iterable, opts)
    assert isinstance(stream, Readable)
    return stream


def is_js_iterable(value: object) -> bool:
    """Iterable as JavaScript sees it: a dict is a plain object, not an iterable, and a
    Deferred (which Python can iterate for ``yield from``) is a Promise."""
    if isinstance(value, Mapping | Deferred):
        return False
    return hasattr(value, "__aiter__") or hasattr(value, "__iter__")


def is_awaitable(value: object) -> bool:
    """A JavaScript thenable, as Python has them: a Deferred, a coroutine, any awaitable."""
    return isinstance(value, Deferred) or inspect.isawaitable(value)


def as_deferred(value: Any) -> Deferred[Any]:
    """An awaitable as a Deferred (a Deferred is itself)."""
    if isinstance(value, Deferred):
        return value

    async def wait() -> Any:
        return await value

    return Deferred.fromCoroutine(wait())


def from_iterable(
    make: Callable[[dict[str, Any]], Stream], iterable: Any, opts: Mapping[str, Any]
) -> Stream:
    """Node's ``from(Readable, iterable, opts)``: ``make(options)`` (a Readable or Duplex
    constructor) over *iterable*, in object mode with ``highWaterMark`` 1 unless *opts* say
    otherwise. Hooks given in *opts* are the constructor's; the stream's ``_read`` and
    ``_destroy`` are then replaced (``_destroy`` runs the one it replaces first)."""
    if isinstance(iterable, str | bytes | bytearray | memoryview):
        whole = bytes(iterable) if not isinstance(iterable, str | bytes) else iterable

        def read_once(stream: Readable, size: int) -> None:
            stream.push(whole)
            stream.push(None)

        return make({"objectMode": True, **opts, "read": read_once})
    if isinstance(iterable, Mapping | Deferred):
        # a dict is Node's plain object, which is not iterable; a Deferred is a Promise
        raise invalid_arg_type("iterable", ["Iterable"], iterable)
    if hasattr(iterable, "__aiter__"):
        iterator: Any = iterable.__aiter__()
        is_async = True
    else:
        try:
            iterator = iter(iterable)
        except TypeError:
            raise invalid_arg_type("iterable", ["Iterable"], iterable) from None
        is_async = False
    stream = make({"objectMode": True, "highWaterMark": 1, **opts})
    _IterablePump(stream, iterator, is_async)
    return stream


class _IterablePump:
    """What ``from`` installs on a stream: ``_read`` pulls items while ``push()`` wants more
    (in a coroutine for an async iterator, or once a sync iterator gave an awaitable), and
    ``_destroy`` closes the iterator after the stream's own ``_destroy``."""

    __slots__ = (
        "async_values",
        "is_async",
        "iterator",
        "original_destroy",
        "pulling",
        "reading",
        "stream",
    )

    def __init__(self, stream: Stream, iterator: Any, is_async: bool) -> None:
        self.stream = stream
        self.iterator = iterator
        self.is_async = is_async
        self.async_values = False
        self.reading = False
        #: The async pull under way: closing the iterator waits for it (an async generator
        #: cannot be closed while it runs; JavaScript queues ``return()`` the same way).
        self.pulling: Deferred[None] | None = None
        self.original_destroy = stream._destroy
        stream._read = self.read  # type: ignore[attr-defined]
        stream._destroy = self.destroy  # type: ignore[method-assign]

    # reading

    def read(self, size: int) -> None:
        if self.reading:
            return
        self.reading = True
        if self.is_async or self.async_values:
            self.start_pull(None)
        else:
            self.pull_sync()

    def pull_sync(self) -> None:
        stream: Any = self.stream
        try:
            while True:
                try:
                    value = next(self.iterator)
                except StopIteration:
                    stream.push(None)
                    return
                if is_awaitable(value):
                    self.async_values = True
                    self.start_pull(value)
                    return
                if value is None:
                    self.reading = False
                    raise make_error("ERR_STREAM_NULL_VALUES")
                if not stream.push(value):
                    self.reading = False
                    return
        except Exception as error:
            stream.destroy(error)

    def start_pull(self, first: Any) -> None:
        pulling = self.pulling = Deferred.fromCoroutine(self.pull_async(first))

        def done(result: object) -> object:
            if self.pulling is pulling:
                self.pulling = None
            return result

        pulling.addBoth(done).addErrback(_report)

    async def pull_async(self, first: Any = None) -> None:
        """The async loops of Node's ``from``: ``await iterator.next()`` for an async
        iterator; ``iterator.next()`` then ``await`` of an awaitable value for a sync one."""
        stream: Any = self.stream
        pending = first
        while True:
            try:
                if pending is not None:
                    value, pending = await as_deferred(pending), None
                elif self.is_async:
                    value = await _next_async(self.iterator)
                else:
                    value = next(self.iterator)
                    if is_awaitable(value):
                        value = await as_deferred(value)
            except (StopIteration, StopAsyncIteration):
                dispatch(stream.push, None)
                return
            except Exception as error:
                dispatch(stream.destroy, error)
                return
            if value is None:
                self.reading = False
                dispatch(stream.destroy, make_error("ERR_STREAM_NULL_VALUES"))
                return
            if not dispatch(stream.push, value):
                self.reading = False
                return

    # destroying

    def destroy(self, error: BaseException | None, callback: Completion) -> None:
        def after_own(own_error: BaseException | None = None, /) -> None:
            combined = own_error or error
            Deferred.fromCoroutine(self.close(combined)).addCallback(
                lambda outcome: dispatch(next_tick, callback, outcome)
            ).addErrback(_report)

        self.original_destroy(error, after_own)

    async def close(self, error: BaseException | None) -> BaseException | None:
        """Node's ``close(error)``: ``throw(error)`` into the iterator when destroyed with an
        error (done if that finishes it), then ``return()``; a failure doing so is joined to
        *error* (Node's ``aggregateTwoErrors``)."""
        iterator = self.iterator
        if self.pulling is not None:
            finished: Deferred[None] = Deferred()

            def relay(result: object) -> object:
                finished.callback(None)
                return result

            self.pulling.addBoth(relay)
            await finished
        try:
            if self.is_async:
                athrow = getattr(iterator, "athrow", None)
                if error is not None and athrow is not None and isinstance(error, Exception):
                    try:
                        await athrow(error)
                    except StopAsyncIteration:
                        return error
                aclose = getattr(iterator, "aclose", None)
                if aclose is not None:
                    await aclose()
            else:
                throw = getattr(iterator, "throw", None)
                if error is not None and throw is not None and isinstance(error, Exception):
                    try:
                        throw(error)
                    except StopIteration:
                        return error
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
        except Exception as failure:
            if failure is error or error is None:
                return failure
            # Node's aggregateTwoErrors(error, failure)
            errors = getattr(failure, "errors", None)
            if isinstance(errors, list):
                errors.append(error)
                return failure
            return aggregate_error([failure, error])
        return error


async def _next_async(iterator: AsyncIterator[Any]) -> Any:
    return await iterator.__anext__()


def _report(failure: Failure) -> None:
    from twnet._runtime import report_uncaught

    report_uncaught(failure)


install_from(readable_from)


install_from(readable_from)
