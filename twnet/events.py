"""Node's ``events`` module: ``from twnet import events`` mirrors
``const events = require('events')``.

``EventEmitter``, ``once`` (a Deferred of the argument list), ``on`` (an async iterator of
argument lists), ``getEventListeners``, ``getMaxListeners``, ``setMaxListeners``,
``listenerCount``, ``errorMonitor``, ``captureRejections`` / ``defaultMaxListeners`` (module
properties that read and set :class:`EventEmitter`'s defaults, as Node's do),
``captureRejectionSymbol`` and ``addAbortListener``. Every camelCase name has its snake_case
twin. See ``docs/events.rst``.
"""

from __future__ import annotations

import sys
import types
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from twisted.internet.defer import Deferred, fail, succeed

from twnet import _abort
from twnet._errors import abort_error, engine_type_error, invalid_arg_type, make_error
from twnet._events import (
    EventEmitter,
    EventName,
    MaxListenersExceededWarning,
    captureRejectionSymbol,
    errorMonitor,
)
from twnet._eventtarget import EventTarget
from twnet._naming import module_twins
from twnet._once import once
from twnet._runtime import next_tick
from twnet._validators import (
    MAX_SAFE_INTEGER,
    validate_function,
    validate_integer,
    validate_number,
    validate_object,
)

__all__ = [
    "Disposable",
    "EventEmitter",
    "EventIterator",
    "MaxListenersExceededWarning",
    "captureRejectionSymbol",
    "errorMonitor",
    "getEventListeners",
    "getMaxListeners",
    "listenerCount",
    "on",
    "once",
    "setMaxListeners",
]


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

    def __anext__(self) -> Deferred[list[Any]]:
        """The next argument list (a Deferred): a buffered one at once, else the next
        emission's; fails with the error, or with StopAsyncIteration once closed."""
        if self._events:
            value = self._events.popleft()
            if self._paused and len(self._events) < self._low:
                self._emitter.resume()
                self._paused = False
            return succeed(value)
        if self._error is not None:
            error, self._error = self._error, None
            return fail(error)
        if self._finished:
            self._close()
            return fail(StopAsyncIteration())
        waiting: Deferred[list[Any]] = Deferred(lambda d: self._cancelled(d))
        self._waiting.append(waiting)
        return waiting

    def _cancelled(self, waiting: Deferred[list[Any]]) -> None:
        if waiting in self._waiting:
            self._waiting.remove(waiting)
        self._close()

    def aclose(self) -> Deferred[None]:
        """Node's ``iterator.return()``: stop listening; pending and later ``__anext__``
        calls end the iteration."""
        self._close()
        return succeed(None)

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


# -- inspecting and limits -----------------------------------------------------------------


def getEventListeners(emitter_or_target: Any, name: EventName) -> list[Any]:
    """Node's ``events.getEventListeners(emitterOrTarget, eventName)``: a copy of the
    listeners (``once`` wrappers unwrapped) of an EventEmitter, or of an EventTarget such as
    an AbortSignal."""
    if callable(getattr(emitter_or_target, "listeners", None)):
        return list(emitter_or_target.listeners(name))
    if isinstance(emitter_or_target, EventTarget):
        # an EventTarget keys its listeners by the type as a string, whatever was passed
        return [entry.listener for entry in emitter_or_target._live(str(name))]
    raise invalid_arg_type("emitter", ["EventEmitter", "EventTarget"], emitter_or_target)


def getMaxListeners(emitter_or_target: Any) -> int:
    """Node's ``events.getMaxListeners(emitterOrTarget)``."""
    if callable(getattr(emitter_or_target, "getMaxListeners", None)):
        return int(emitter_or_target.getMaxListeners())
    if isinstance(emitter_or_target, EventTarget):
        limit = getattr(emitter_or_target, "_max_event_target_listeners", None)
        if limit is None:
            # Node's AbortSignal never warns (its limit is 0); other targets use the default
            return (
                0
                if isinstance(emitter_or_target, _abort.AbortSignal)
                else (EventEmitter.defaultMaxListeners)
            )
        return int(limit)
    raise invalid_arg_type("emitter", ["EventEmitter", "EventTarget"], emitter_or_target)


def setMaxListeners(n: Any = None, *targets: Any) -> None:
    """Node's ``events.setMaxListeners(n = defaultMaxListeners, ...eventTargets)``: the limit
    of each given EventEmitter or EventTarget, or, with none given, the default
    (``EventEmitter.defaultMaxListeners``)."""
    if n is None:
        n = EventEmitter.defaultMaxListeners
    validate_number(n, "setMaxListeners", 0)
    limit = int(n) if n != float("inf") else 0
    if not targets:
        EventEmitter.defaultMaxListeners = limit
        return
    for target in targets:
        if callable(getattr(target, "setMaxListeners", None)):
            target.setMaxListeners(n)
        elif isinstance(target, EventTarget):
            target._max_event_target_listeners = limit  # type: ignore[attr-defined]
        else:
            raise invalid_arg_type("eventTargets", ["EventEmitter", "EventTarget"], target)


def listenerCount(emitter: Any, name: EventName) -> int:
    """Node's deprecated ``events.listenerCount(emitter, eventName)``:
    ``emitter.listenerCount(eventName)``, or the number of an EventTarget's listeners."""
    if emitter is None:
        raise engine_type_error("Cannot read properties of undefined (reading 'listenerCount')")
    if callable(getattr(emitter, "listenerCount", None)):
        return int(emitter.listenerCount(name))
    if isinstance(emitter, EventTarget):
        return len(emitter._live(str(name)))
    raise invalid_arg_type("emitter", ["EventEmitter", "EventTarget"], emitter)


class Disposable:
    """What :func:`addAbortListener` returns: Node's ``Disposable``. ``dispose()`` (Node's
    ``[Symbol.dispose]()``; also the exit of a ``with`` block) removes the listener."""

    def __init__(self, remove: Any) -> None:
        self._remove = remove

    def dispose(self) -> None:
        """Remove the abort listener (again: nothing)."""
        remove, self._remove = self._remove, None
        if remove is not None:
            remove()

    def __enter__(self) -> Disposable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()


def addAbortListener(signal: Any, listener: Any) -> Disposable:
    """Node's ``events.addAbortListener(signal, listener)``: call ``listener()`` once when
    *signal* aborts (on the next tick when it already has), even if another listener stops
    the event's propagation. Returns a :class:`Disposable` whose ``dispose()`` removes it."""
    if signal is None:
        raise invalid_arg_type("signal", "AbortSignal", signal)
    _abort.validate_abort_signal(signal, "signal")
    validate_function(listener, "listener")
    return Disposable(_abort.add_abort_listener(signal, lambda: listener()))


if TYPE_CHECKING:
    # The module's properties below, as type checkers see module attributes.
    captureRejections: bool
    capture_rejections: bool
    defaultMaxListeners: int
    default_max_listeners: int


class _EventsModule(types.ModuleType):
    """``captureRejections`` and ``defaultMaxListeners`` read and set EventEmitter's, as
    Node's module properties do."""

    @property
    def captureRejections(self) -> bool:
        return bool(getattr(EventEmitter, "captureRejections", False))

    @captureRejections.setter
    def captureRejections(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise invalid_arg_type("EventEmitter.captureRejections", "boolean", value)
        EventEmitter.captureRejections = value
        setattr(EventEmitter, "capture_rejections", value)  # the twin, kept in step

    capture_rejections = captureRejections

    @property
    def defaultMaxListeners(self) -> int:
        return EventEmitter.defaultMaxListeners

    @defaultMaxListeners.setter
    def defaultMaxListeners(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise make_error(
                "ERR_OUT_OF_RANGE", "defaultMaxListeners", "a non-negative number", value
            )
        if value < 0:
            raise make_error(
                "ERR_OUT_OF_RANGE", "defaultMaxListeners", "a non-negative number", value
            )
        EventEmitter.defaultMaxListeners = int(value)

    default_max_listeners = defaultMaxListeners


_camel = [
    "getEventListeners",
    "getMaxListeners",
    "setMaxListeners",
    "listenerCount",
    "addAbortListener",
    "captureRejectionSymbol",
    "errorMonitor",
]
__all__ += ["addAbortListener", *module_twins(globals(), _camel)]
sys.modules[__name__].__class__ = _EventsModule

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    add_abort_listener = addAbortListener
    capture_rejection_symbol = captureRejectionSymbol
    error_monitor = errorMonitor
    get_event_listeners = getEventListeners
    get_max_listeners = getMaxListeners
    listener_count = listenerCount
    set_max_listeners = setMaxListeners
    __all__ += [
        "add_abort_listener",
        "capture_rejection_symbol",
        "error_monitor",
        "get_event_listeners",
        "get_max_listeners",
        "listener_count",
        "set_max_listeners",
    ]
