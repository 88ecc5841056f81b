"""Node's ``events.on(emitter, name[, options])``: an async iterator of the argument lists of
an event, with Node's buffering, ``close`` events, high/low watermarks and ``signal``
(:class:`EventIterator`). Re-exported by :mod:`twnet.events`; here so that the Twisted side
(``stream.pipeline``'s chunks) can use it without importing the public module.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from twisted.internet.defer import Deferred

from twnet import _abort
from twnet._awaitable import AwaitableDeferred, failed, succeeded
from twnet._errors import abort_error, engine_type_error, invalid_arg_type
from twnet._events import (
    EventEmitter,
    EventName,
)
from twnet._eventtarget import EventTarget
from twnet._runtime import next_tick
from twnet._validators import (
    MAX_SAFE_INTEGER,
    validate_integer,
    validate_object,
)

__all__ = ["EventIterator", "on"]


# -- on ---------------------------------------------------------------------------------------


class EventIterator:
    """What :func:`on` returns: Node's ``events.on`` async iterator.

    ``async for args in events.on(emitter, 'data'):`` yields each emission's argument list;
    emissions that come while nobody waits are buffered (with ``highWaterMark`` set, the
    emitter is paused past it and resumed below ``lowWaterMark``). ``'error'`` (unless it is
    the event iterated) ends the iteration by raising the error — after the buffered events
    have been taken. One of the ``close`` events ends it cleanly. ``__anext__`` returns a
    Deferred, so the loop runs in Twisted coroutines (``Deferred.fromCoroutine``,
    ``ensureDeferred``); cancelling that Deferred closes the iterator.

    Python's ``async for`` does not close an iterator left by ``break``, as JavaScript's
    ``for await`` does: call :meth:`aclose` (Node's ``return()``), or use ``async with
    events.on(...) as it:``, which closes it on the way out.
    """

    def __init__(
        self,
        emitter: Any,
        event: Any,
        *,
        high_water_mark: int,
        low_water_mark: int,
        close: Iterable[Any],
    ) -> None:
        self._emitter = emitter
        self._events: deque[list[Any]] = deque()
        self._waiting: deque[Deferred[list[Any]]] = deque()
        self._error: BaseException | None = None
        self._finished = False
        self._paused = False
        self._high = high_water_mark
        self._low = low_water_mark
        self._listeners: list[tuple[Any, Any]] = []
        self._listen(event, self._on_event)
        if event != "error" and callable(getattr(emitter, "on", None)):
            self._listen("error", self._on_error)
        for name in close:
            self._listen(name, self._on_close)

    def _listen(self, name: Any, listener: Any) -> None:
        # Node's eventTargetAgnosticAddListener: an emitter's on(), else an EventTarget's
        # addEventListener() (its listeners get the Event: passed on as the one argument).
        emitter = self._emitter
        if callable(getattr(emitter, "on", None)):
            emitter.on(name, listener)
        else:
            emitter.addEventListener(name, listener)
        self._listeners.append((name, listener))

    # -- the emitter's side ---------------------------------------------------------------

    # A waiting consumer resumes on the next tick, never inside the emitter's emit() (Node
    # settles a promise: the loop body runs after emit() returned).

    def _on_event(self, *args: Any) -> None:
        if self._waiting:
            next_tick(_settle, self._waiting.popleft(), list(args))
            return
        self._events.append(list(args))
        if not self._paused and len(self._events) > self._high:
            self._paused = True
            self._emitter.pause()

    def _on_error(self, error: BaseException) -> None:
        if self._waiting:
            next_tick(_settle, self._waiting.popleft(), error)
        else:
            self._error = error
        self._close()

    def _on_close(self, *_: Any) -> None:
        self._close()

    def _close(self) -> None:
        stop = self._stop_signal
        if stop is not None:
            self._stop_signal = None
            stop()
        listeners, self._listeners = self._listeners, []
        emitter = self._emitter
        for name, listener in reversed(listeners):
            if callable(getattr(emitter, "removeListener", None)):
                emitter.removeListener(name, listener)
            else:
                emitter.removeEventListener(name, listener)
        self._finished = True
        self._paused = False
        while self._waiting:
            next_tick(_settle, self._waiting.popleft(), StopAsyncIteration())

    _stop_signal: Any = None

    # -- the consumer's side --------------------------------------------------------------

    def __aiter__(self) -> EventIterator:
        return self

    def __anext__(self) -> AwaitableDeferred[list[Any]]:
        """The next argument list (a Deferred): a buffered one at once, else the next
        emission's; fails with the error, or with StopAsyncIteration once closed."""
        if self._events:
            value = self._events.popleft()
            if self._paused and len(self._events) < self._low:
                self._emitter.resume()
                self._paused = False
            return succeeded(value)
        if self._error is not None:
            error, self._error = self._error, None
            return failed(error)
        if self._finished:
            self._close()
            return failed(StopAsyncIteration())
        waiting: AwaitableDeferred[list[Any]] = AwaitableDeferred(self._cancelled)
        self._waiting.append(waiting)
        return waiting

    def _cancelled(self, waiting: Deferred[list[Any]]) -> None:
        if waiting in self._waiting:
            self._waiting.remove(waiting)
        self._close()

    def aclose(self) -> AwaitableDeferred[None]:
        """Node's ``iterator.return()``: stop listening; pending and later ``__anext__``
        calls end the iteration."""
        self._close()
        return succeeded(None)

    def throw(self, error: BaseException) -> None:
        """Node's ``iterator.throw(err)``: end the iteration with *error* (raised by the
        next ``__anext__``, or by the pending one)."""
        if not isinstance(error, BaseException):
            raise invalid_arg_type("EventEmitter.AsyncIterator", "Error", error)
        self._on_error(error)

    async def __aenter__(self) -> EventIterator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._close()


def _settle(waiting: Deferred[list[Any]], outcome: list[Any] | BaseException) -> None:
    if waiting.called:  # cancelled meanwhile
        return
    if isinstance(outcome, BaseException):
        waiting.errback(outcome)
    else:
        waiting.callback(outcome)


def on(
    emitter: EventEmitter | EventTarget,
    event: EventName,
    options: Mapping[str, Any] | None = None,
    /,
    **kwargs: Any,
) -> EventIterator:
    """Node's ``events.on(emitter, eventName[, options])``: an async iterator of the argument
    lists of *event*'s emissions (see :class:`EventIterator`).

    Options (dict or keywords): ``signal`` (an AbortSignal: aborting ends the iteration with
    an ``AbortError``), ``close`` (event names that end the iteration), ``highWaterMark`` /
    ``lowWaterMark`` (integers >= 1: pause the emitter while more than ``highWaterMark``
    events wait, resume it below ``lowWaterMark``)."""
    if options is not None:
        validate_object(options, "options")
    # Any object passes (as in Node); only a mapping has properties to read.
    opts: dict[str, Any] = {**(options if isinstance(options, Mapping) else {}), **kwargs}
    signal = opts.get("signal")
    _abort.validate_abort_signal(signal, "options.signal")
    if signal is not None and signal.aborted:
        raise _abort_error(signal)
    high = _first(opts, "highWaterMark", "highWatermark", "high_water_mark")
    high = MAX_SAFE_INTEGER if high is None else high
    validate_integer(high, "options.highWaterMark", 1)
    low = _first(opts, "lowWaterMark", "lowWatermark", "low_water_mark")
    low = 1 if low is None else low
    validate_integer(low, "options.lowWaterMark", 1)
    if emitter is None:
        raise engine_type_error("Cannot read properties of undefined (reading 'on')")
    if not (
        callable(getattr(emitter, "on", None))
        or callable(getattr(emitter, "addEventListener", None))
    ):
        raise invalid_arg_type("emitter", "EventEmitter", emitter)
    close = opts.get("close") or ()
    iterator = EventIterator(
        emitter, event, high_water_mark=int(high), low_water_mark=int(low), close=close
    )
    if signal is not None:
        iterator._stop_signal = _listen_abort(
            signal, lambda: iterator._on_error(_abort_error(signal))
        )
    return iterator


def _first(opts: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if opts.get(name) is not None:
            return opts[name]
    return None


def _abort_error(signal: Any) -> BaseException:
    return abort_error(getattr(signal, "reason", None))


def _listen_abort(signal: Any, listener: Any) -> Any:
    return _abort.add_abort_listener(signal, listener)
