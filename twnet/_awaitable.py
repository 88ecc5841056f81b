"""One awaitable for both coroutine worlds: Twisted's and asyncio's.

A coroutine is driven by whoever calls its ``send()``: Twisted's ``_inlineCallbacks``
(``Deferred.fromCoroutine``, ``ensureDeferred``, ``pytest_twisted.ensureDeferred``,
``task.react``) waits on a yielded ``Deferred`` (or coroutine); an asyncio ``Task`` waits on a
yielded future-like object (one with ``_asyncio_future_blocking``, ``get_loop()``,
``add_done_callback()``, ``result()`` and ``cancel()``). A plain ``Deferred`` is only the first:
awaited in an asyncio coroutine it stops the task with "Task got bad yield".

:func:`wait` yields a :class:`_Bridge` that is both: a ``collections.abc.Coroutine`` whose
first ``send()`` hands Twisted's driver the Deferred, and a future-like object for asyncio's.
Whichever driver takes it, the Deferred's result comes back to the awaiting coroutine and
cancelling the driver (``Deferred.cancel()`` of the outer Deferred, ``Task.cancel()``) cancels
the Deferred, whose canceller removes what it listened to. :class:`AwaitableDeferred` is a
Deferred whose ``await`` goes through :func:`wait`; twnet returns it wherever it returns
something to await.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from contextvars import Context
from typing import Any, TypeVar, cast

from twisted.internet.defer import CancelledError, Deferred
from twisted.python.failure import Failure

from twnet import _ticks

__all__ = ["AwaitableDeferred", "after_ticks", "awaitable", "failed", "succeeded", "wait"]

_T = TypeVar("_T")
_NOTHING: Any = object()


class _Bridge(Coroutine[Any, Any, Any]):
    """What :func:`wait` yields to the driver of the awaiting coroutine."""

    def __init__(self, deferred: Deferred[Any]) -> None:
        self._deferred = deferred
        self._handed_over = False
        self.asyncio_driven = False
        self._outcome: Any = _NOTHING
        self._cancel_message: Any = _NOTHING
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None

    # -- Twisted's driver: we are a coroutine that waits on the Deferred once -------------

    def send(self, value: Any) -> Any:
        if not self._handed_over:
            self._handed_over = True  # the first send: wait on the Deferred
            return self._deferred
        raise StopIteration(value)  # the second: its result

    def throw(self, typ: Any, value: Any = None, traceback: Any = None) -> Any:
        if isinstance(typ, BaseException):
            raise typ
        raise typ if value is None else value

    def close(self) -> None:
        return None

    def __await__(self) -> Generator[Any, None, Any]:
        return (yield self)

    # -- asyncio's Task: the future protocol it uses on a foreign future ------------------

    _asyncio_future_blocking = True

    def get_loop(self) -> asyncio.AbstractEventLoop | None:
        return self._loop

    def add_done_callback(
        self, callback: Callable[[Any], object], *, context: Context | None = None
    ) -> None:
        self.asyncio_driven = True
        loop = self._loop
        assert loop is not None

        def done(outcome: Any) -> None:
            self._outcome = outcome  # taken here: the Deferred then holds None
            loop.call_soon(callback, self, context=context)

        self._deferred.addBoth(done)

    def remove_done_callback(self, callback: Callable[[Any], object]) -> int:
        return 0

    def done(self) -> bool:
        return self._outcome is not _NOTHING

    def cancelled(self) -> bool:
        return self._cancel_message is not _NOTHING and self.done()

    def cancel(self, msg: Any = None) -> bool:
        if self.done():
            return False
        self._cancel_message = msg
        self._deferred.cancel()
        return True

    def result(self) -> Any:
        outcome = self._outcome
        if isinstance(outcome, Failure):
            if self._cancel_message is not _NOTHING and outcome.check(CancelledError):
                message = self._cancel_message
                raise asyncio.CancelledError(*(() if message is None else (message,)))
            outcome.raiseException()
        return outcome

    def exception(self) -> BaseException | None:
        outcome = self._outcome
        return outcome.value if isinstance(outcome, Failure) else None


def wait(deferred: Deferred[_T]) -> Generator[Any, Any, _T]:
    """``yield from wait(d)`` in an ``__await__``: the result of *d*, in a Twisted or an
    asyncio coroutine. A fired Deferred gives its result at once (nothing is yielded); else the
    coroutine resumes when *d* fires."""
    if deferred.called and not deferred.paused:
        outcome = deferred.result
        if isinstance(outcome, Failure):
            deferred.addErrback(lambda _: None)  # raised here: handled
            outcome.raiseException()
        return cast(_T, outcome)
    bridge = _Bridge(deferred)
    value = yield bridge
    if bridge.asyncio_driven:
        return bridge.result()  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


class AwaitableDeferred(Deferred[_T]):
    """A ``Deferred`` that a coroutine of either world can ``await``."""

    def __await__(self) -> Generator[Any, Any, _T]:
        return wait(self)

    __iter__ = __await__


def awaitable(deferred: Deferred[_T]) -> AwaitableDeferred[_T]:
    """*deferred*'s outcome as an :class:`AwaitableDeferred` (cancelling it cancels
    *deferred*)."""
    if isinstance(deferred, AwaitableDeferred):
        return deferred
    result: AwaitableDeferred[_T] = AwaitableDeferred(lambda _: deferred.cancel())
    deferred.chainDeferred(result)
    return result


def succeeded(value: _T) -> AwaitableDeferred[_T]:
    """An :class:`AwaitableDeferred` that has *value*."""
    result: AwaitableDeferred[_T] = AwaitableDeferred()
    result.callback(value)
    return result


def failed(error: BaseException) -> AwaitableDeferred[Any]:
    """An :class:`AwaitableDeferred` that failed with *error*."""
    result: AwaitableDeferred[Any] = AwaitableDeferred()
    result.errback(Failure(error))
    return result


# -- Node's microtask queue, as far as resuming a coroutine needs it --------------------------

_microtasks: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
_micro_queued = False


def after_ticks(fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` once the nextTick queue is empty, as Node runs a promise's
    continuation (a microtask) only after every ``process.nextTick`` callback, including those
    the callbacks queue. What resumes a coroutine waiting on a stream goes through here, so
    the stream's own ticks (``end()`` after ``'end'``...) come first, as in Node."""
    global _micro_queued
    _microtasks.append((fn, args))
    if not _micro_queued:
        _micro_queued = True
        _ticks.next_tick(_run_microtasks)


def _run_microtasks() -> None:
    global _micro_queued
    if _ticks.queue:  # ticks still queued: go after them
        _ticks.next_tick(_run_microtasks)
        return
    _micro_queued = False
    while _microtasks:
        fn, args = _microtasks.popleft()
        try:
            fn(*args)
        except BaseException:
            _ticks.report_current()
