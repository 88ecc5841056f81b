"""Node's ``timers/promises``: ``setTimeout(delay, value)`` and ``setImmediate(value)`` as
Deferreds (awaitable in a Twisted coroutine), ``setInterval(delay, value)`` as an async
iterator, and ``scheduler.wait`` / ``scheduler.yield``.

Options, as a dict or keyword arguments: ``signal`` (an :class:`~twnet.AbortSignal`: aborting
clears the timer and fails the Deferred with :class:`~twnet.AbortError`, whose ``cause`` is
the signal's reason) and ``ref`` (False: the pending timer does not keep ``twnet.run()``
alive). As in Node, bad arguments give a *failed* Deferred rather than an exception (Node
returns a rejected promise); for ``setInterval`` they are raised by the first ``__anext__``.
Cancelling a returned Deferred clears its timer and removes its ``'abort'`` listener.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from twisted.internet.defer import Deferred, fail

from twnet._abort import AbortSignal, validate_abort_signal
from twnet._errors import AbortError, abort_error, make_error
from twnet._eventtarget import Event
from twnet._naming import module_twins
from twnet._naming import options as merge_options
from twnet._timers import Immediate, Timeout, clearImmediate, clearInterval, clearTimeout
from twnet._validators import validate_boolean, validate_number, validate_object

__all__ = ["scheduler", "setImmediate", "setInterval", "setTimeout"]

_T = TypeVar("_T")


def _validate(
    delay: Any, has_delay: bool, options: Any, kwargs: dict[str, Any]
) -> tuple[AbortSignal | None, bool]:
    if has_delay and delay is not None:
        validate_number(delay, "delay")
    if options is not None:
        validate_object(options, "options")
        if not isinstance(options, dict):
            options = {}
    opts = merge_options(options, **kwargs)
    signal = opts.get("signal")
    validate_abort_signal(signal, "options.signal")
    ref = opts.get("ref", True)
    validate_boolean(ref, "options.ref")
    return signal, ref


def _aborted(signal: AbortSignal) -> AbortError:
    return abort_error(signal.reason)


def _settle(start: Any, clear: Any, signal: AbortSignal | None, value: Any) -> Deferred[Any]:
    """The Deferred of one timer made by ``start(resolve)``: fires with *value*, fails with
    AbortError when *signal* aborts first; cancelling it clears the timer."""
    handle: Any = None
    on_abort: Any = None

    def cleanup() -> None:
        if on_abort is not None and signal is not None:
            signal.removeEventListener("abort", on_abort)

    def cancel(_d: Deferred[Any]) -> None:
        clear(handle)
        cleanup()

    result: Deferred[Any] = Deferred(cancel)

    def resolve() -> None:
        cleanup()
        result.callback(value)

    handle = start(resolve)
    if signal is not None:

        def on_abort(_event: Event) -> None:
            if not handle._destroyed:
                clear(handle)
                cleanup()
                result.errback(_aborted(signal))

        signal.addEventListener("abort", on_abort)
    return result


def setTimeout(
    delay: float | None = None,
    value: _T | None = None,
    options: dict[str, Any] | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Deferred[_T | None]:
    """Node's ``timersPromises.setTimeout([delay[, value[, options]]])``: a Deferred that
    fires with *value* after *delay* ms (clamped as :func:`twnet.setTimeout` clamps)."""
    try:
        signal, ref = _validate(delay, True, options, kwargs)
    except Exception as error:
        return fail(error)
    if signal is not None and signal.aborted:
        return fail(_aborted(signal))
    return _settle(
        lambda resolve: Timeout(resolve, delay, (), False, ref, reactor),
        clearTimeout,
        signal,
        value,
    )


def setImmediate(
    value: _T | None = None,
    options: dict[str, Any] | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> Deferred[_T | None]:
    """Node's ``timersPromises.setImmediate([value[, options]])``: a Deferred that fires with
    *value* when an immediate would run."""
    try:
        signal, ref = _validate(None, False, options, kwargs)
    except Exception as error:
        return fail(error)
    if signal is not None and signal.aborted:
        return fail(_aborted(signal))

    def start(resolve: Any) -> Immediate:
        immediate = Immediate(resolve, (), reactor)
        return immediate if ref else immediate.unref()

    return _settle(start, clearImmediate, signal, value)


class _IntervalState:
    # What the interval's callback touches: not the generator, so that a loop left with
    # ``break`` drops the generator, whose ``finally`` then clears the interval.
    __slots__ = ("pending", "waiter")

    def __init__(self) -> None:
        self.pending = 0
        self.waiter: Deferred[None] | None = None

    def tick(self) -> None:
        self.pending += 1
        waiter, self.waiter = self.waiter, None
        if waiter is not None:
            waiter.callback(None)


async def setInterval(
    delay: float | None = None,
    value: _T | None = None,
    options: dict[str, Any] | None = None,
    /,
    *,
    reactor: Any = None,
    **kwargs: Any,
) -> AsyncIterator[_T | None]:
    """Node's ``timersPromises.setInterval([delay[, value[, options]]])``: an async iterator
    that yields *value* every *delay* ms (``async for _ in setInterval(100): ...``); ticks
    that came while the loop body ran are yielded at once, one each. Leaving the loop
    clears the interval; aborting the signal ends it with :class:`~twnet.AbortError`."""
    signal, ref = _validate(delay, True, options, kwargs)
    if signal is not None and signal.aborted:
        raise _aborted(signal)
    state = _IntervalState()
    interval = Timeout(state.tick, delay, (), True, ref, reactor)
    on_abort = None
    try:
        if signal is not None:

            def on_abort(_event: Event) -> None:
                clearInterval(interval)
                waiter, state.waiter = state.waiter, None
                if waiter is not None:
                    waiter.errback(_aborted(signal))

            signal.addEventListener("abort", on_abort, {"once": True})
        while signal is None or not signal.aborted:
            if state.pending == 0:
                state.waiter = Deferred()
                await state.waiter
            while state.pending > 0:
                yield value
                state.pending -= 1
        raise _aborted(signal)
    finally:
        clearInterval(interval)
        if signal is not None and on_abort is not None:
            signal.removeEventListener("abort", on_abort)


class Scheduler:
    """Node's ``timersPromises.scheduler`` (the one instance is :data:`scheduler`):
    ``wait(delay, options)`` is ``setTimeout(delay, None, options)``; ``yield`` (spelled
    ``yield_``, ``yield`` being a Python keyword; ``getattr(scheduler, 'yield')`` works) is
    ``setImmediate()``."""

    def __init__(self, _token: object = None) -> None:
        if _token is not _SCHEDULER:
            raise make_error("ERR_ILLEGAL_CONSTRUCTOR")

    def wait(
        self, delay: float, options: dict[str, Any] | None = None, /, **kwargs: Any
    ) -> Deferred[None]:
        """A Deferred that fires with ``None`` after *delay* ms."""
        return setTimeout(delay, None, options, **kwargs)

    def yield_(self, *, reactor: Any = None) -> Deferred[None]:
        """A Deferred that fires with ``None`` when an immediate would run."""
        return setImmediate(None, reactor=reactor)


setattr(Scheduler, "yield", Scheduler.yield_)  # a keyword as a name
_SCHEDULER = object()
scheduler = Scheduler(_SCHEDULER)
__all__ += module_twins(globals(), ["setTimeout", "setImmediate", "setInterval"])

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    set_immediate = setImmediate
    set_interval = setInterval
    set_timeout = setTimeout
    __all__ += [
        "set_immediate",
        "set_interval",
        "set_timeout",
    ]
