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
from typing import TYPE_CHECKING, Any

from twnet import _abort
from twnet._errors import engine_type_error, invalid_arg_type, make_error
from twnet._event_iterator import EventIterator, on
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
from twnet._validators import (
    validate_function,
    validate_number,
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
