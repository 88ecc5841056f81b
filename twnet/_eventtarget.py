"""Node's ``Event`` and ``EventTarget`` (the web platform's, as Node implements them).

``AbortSignal`` is an EventTarget. What Node does, and twnet with it:

* ``addEventListener(type, listener, options)``: *listener* is a callable or an object with a
  ``handleEvent`` method; *options* is a bool (``capture``) or a dict (``once``, ``capture``,
  ``passive``, ``signal``), also given as keyword arguments. Adding the same listener twice
  (same ``capture``) does nothing. A ``None`` listener does nothing and warns, as Node does.
* ``dispatchEvent(event)`` calls the listeners in the order they were added; a listener added
  during the dispatch is called in it too, a removed one is not (Node walks a linked list).
  An exception in a listener does not stop the others: it is reported as uncaught on the
  next tick (Node's ``process.nextTick(() => { throw err })``).
* ``on<event>`` handler attributes (``signal.onabort``) hold one listener each, in the place
  where the attribute was first set.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

from twisted.python.failure import Failure

from twnet._callables import invoke
from twnet._errors import invalid_arg_type, make_error, missing_args
from twnet._naming import add_snake_twins
from twnet._runtime import as_deferred, next_tick, report_uncaught
from twnet._validators import validate_abort_signal

__all__ = ["Event", "EventTarget", "event_handler"]

_MISSING: Any = object()
_ORIGIN = time.monotonic()


class AddEventListenerArgumentTypeWarning(UserWarning):
    """Node's warning for ``addEventListener(type, null)``, which has no effect."""


class Event:
    """Node's ``Event(type, {bubbles, cancelable, composed})``.

    During a dispatch ``currentTarget`` is the target and ``eventPhase`` 2 (AT_TARGET);
    afterwards they are ``None`` and 0. ``timeStamp`` is milliseconds since twnet loaded.
    """

    NONE: ClassVar[int] = 0
    CAPTURING_PHASE: ClassVar[int] = 1
    AT_TARGET: ClassVar[int] = 2
    BUBBLING_PHASE: ClassVar[int] = 3

    def __init__(
        self,
        type: str = _MISSING,
        options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if type is _MISSING:
            raise missing_args("type")
        if options is not None and not isinstance(options, dict):
            raise invalid_arg_type("options", "object", options)
        opts = {**(options or {}), **kwargs}
        self.type = str(type)
        self.bubbles = bool(opts.get("bubbles", False))
        self.cancelable = bool(opts.get("cancelable", False))
        self.composed = bool(opts.get("composed", False))
        self.target: EventTarget | None = None
        self._trusted = False
        self._prevented = False
        self._time = (time.monotonic() - _ORIGIN) * 1000
        self._current: EventTarget | None = None
        self._phase = Event.NONE
        self._stop = False
        self._immediate_stop = False
        self._dispatching = False

    @property
    def isTrusted(self) -> bool:
        """True for the events Node itself dispatches (an AbortSignal's ``'abort'``)."""
        return self._trusted

    @property
    def defaultPrevented(self) -> bool:
        """Whether ``preventDefault()`` was called on a cancelable event."""
        return self._prevented

    @property
    def timeStamp(self) -> float:
        """When the event was made, in milliseconds since twnet loaded."""
        return self._time

    @property
    def currentTarget(self) -> EventTarget | None:
        """The target while it dispatches the event, else ``None``."""
        return self._current

    @property
    def eventPhase(self) -> int:
        """``Event.AT_TARGET`` (2) while dispatched, else ``Event.NONE`` (0)."""
        return self._phase

    @property
    def srcElement(self) -> EventTarget | None:
        """The same as ``target`` (a legacy name Node keeps)."""
        return self.target

    @property
    def returnValue(self) -> bool:
        """``not defaultPrevented``."""
        return not self._prevented

    @property
    def cancelBubble(self) -> bool:
        """Whether ``stopPropagation()`` was called."""
        return self._stop

    def preventDefault(self) -> None:
        """Mark a cancelable event as cancelled: ``dispatchEvent`` then returns False."""
        if self.cancelable:
            self._prevented = True

    def stopPropagation(self) -> None:
        """Node's ``stopPropagation()``: there is no propagation path in Node, so only
        ``cancelBubble`` changes."""
        self._stop = True

    def stopImmediatePropagation(self) -> None:
        """No further listener of this dispatch is called."""
        self._stop = True
        self._immediate_stop = True

    def composedPath(self) -> list[EventTarget]:
        """``[currentTarget]`` during a dispatch, else ``[]``."""
        return [self.currentTarget] if self.currentTarget is not None else []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(type={self.type!r})"

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        cancel_bubble = cancelBubble
        composed_path = composedPath
        current_target = currentTarget
        default_prevented = defaultPrevented
        event_phase = eventPhase
        is_trusted = isTrusted
        prevent_default = preventDefault
        return_value = returnValue
        src_element = srcElement
        stop_immediate_propagation = stopImmediatePropagation
        stop_propagation = stopPropagation
        time_stamp = timeStamp


add_snake_twins(Event)


class _Entry:
    __slots__ = ("callback", "capture", "dispose", "listener", "once", "passive", "removed")

    def __init__(self, listener: Any, capture: bool, once: bool, passive: bool) -> None:
        self.listener = listener
        self.callback: Any = listener  # what is called (an event handler's wrapper...)
        self.capture = capture
        self.once = once
        self.passive = passive
        self.removed = False
        self.dispose: Callable[[], None] | None = None


def _parse_options(options: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(options, bool):
        opts: dict[str, Any] = {"capture": options}
    elif options is None:
        opts = {}
    elif isinstance(options, dict):
        opts = dict(options)
    elif isinstance(options, (int, float, str, bytes)):
        raise invalid_arg_type("options", "object", options)
    else:
        opts = {}  # any other object (a list...) is an options object with no keys
    opts.update(kwargs)
    return opts


def _validate_listener(listener: Any) -> bool:
    if callable(listener) or callable(getattr(listener, "handleEvent", None)):
        return True
    if listener is None:
        return False
    if isinstance(listener, (str, bytes, int, float, bool)):
        raise invalid_arg_type("listener", "EventListener", listener)
    return True  # an object: its handleEvent is looked up when the event comes


def _rethrow(error: BaseException) -> None:
    raise error


def _report_later(failure: Failure) -> None:
    next_tick(report_uncaught, failure)


def _call(listener: Any, event: Event) -> None:
    # JavaScript's arity (a listener that takes no event), and only a coroutine or a Deferred
    # is awaited: a returned awaitable Socket is just a value.
    try:
        result = invoke(listener if callable(listener) else listener.handleEvent, (event,))
    except BaseException as error:
        next_tick(_rethrow, error)
        return
    deferred = as_deferred(result)
    if deferred is not None:
        deferred.addErrback(_report_later)


class EventListenerObject(Protocol):
    """An object listener: its ``handleEvent(event)`` is called (the WHATWG interface)."""

    def handleEvent(self, event: Event, /) -> object: ...


#: What ``addEventListener`` takes: a function called with the :class:`Event`, or an object
#: with ``handleEvent``. (None is accepted and ignored, as in Node.)
EventListener: TypeAlias = Callable[[Event], object] | EventListenerObject


class EventTarget:
    """Node's ``EventTarget``; every camelCase method also answers to its snake_case twin."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_snake_twins(cls)

    def __init__(self) -> None:
        self._listeners: dict[str, list[_Entry]] = {}
        self._handlers: dict[str, _Handler] = {}
        self._dispatching = 0

    # -- listeners ------------------------------------------------------------------------

    def addEventListener(
        self,
        type: str = _MISSING,
        listener: EventListener | None = _MISSING,
        options: dict[str, Any] | bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Add *listener* for events named *type* (see the module's docstring)."""
        if type is _MISSING or listener is _MISSING:
            raise missing_args("type", "listener")
        opts = _parse_options(options, kwargs)
        if not _validate_listener(listener):
            warnings.warn(
                AddEventListenerArgumentTypeWarning(
                    f"addEventListener called with {listener!r} which has no effect."
                ),
                stacklevel=2,
            )
            return
        signal = opts.get("signal")
        if signal is not None:
            # (Node's validateAbortSignal: an AbortSignal, or any object with 'aborted')
            validate_abort_signal(signal, "options.signal")
            if signal.aborted:
                return
        name = str(type)
        capture = bool(opts.get("capture", False))
        entries = self._listeners.setdefault(name, [])
        for entry in entries:
            if not entry.removed and entry.listener is listener and entry.capture == capture:
                return
        entry = _Entry(listener, capture, bool(opts.get("once")), bool(opts.get("passive")))
        entries.append(entry)
        if signal is not None:

            def on_abort(_event: Event) -> None:
                self.removeEventListener(name, listener, {"capture": capture})

            signal.addEventListener("abort", on_abort, {"once": True})
            entry.dispose = lambda: signal.removeEventListener("abort", on_abort)

    def removeEventListener(
        self,
        type: str = _MISSING,
        listener: EventListener | None = _MISSING,
        options: dict[str, Any] | bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Remove *listener* (added with the same ``capture``: ``{'capture': True}`` or
        ``capture=True``) for *type*."""
        if type is _MISSING or listener is _MISSING:
            raise missing_args("type", "listener")
        if not _validate_listener(listener):
            return
        # Node reads only ``options?.capture === true`` here: no check, and a bare bool is not
        # taken as ``capture`` (unlike addEventListener).
        opts = {**(options if isinstance(options, dict) else {}), **kwargs}
        name = str(type)
        capture = opts.get("capture") is True
        for entry in self._listeners.get(name, ()):
            if not entry.removed and entry.listener is listener and entry.capture == capture:
                self._remove(name, entry)
                return

    def _remove(self, name: str, entry: _Entry) -> None:
        entry.removed = True
        if entry.dispose is not None:
            dispose, entry.dispose = entry.dispose, None
            dispose()
        if not self._dispatching:
            self._compact(name)

    def _live(self, name: str) -> list[_Entry]:
        return [entry for entry in self._listeners.get(name, ()) if not entry.removed]

    def _compact(self, name: str) -> None:
        live = self._live(name)
        if live:
            self._listeners[name] = live
        else:
            self._listeners.pop(name, None)

    # -- dispatching ----------------------------------------------------------------------

    def dispatchEvent(self, event: Event) -> bool:
        """Call the listeners of ``event.type`` with *event*; returns
        ``not event.defaultPrevented``. Dispatching an event that is being dispatched raises
        ``ERR_EVENT_RECURSION``."""
        if not isinstance(event, Event):
            raise invalid_arg_type("event", "Event", event)
        if event._dispatching:
            raise make_error("ERR_EVENT_RECURSION", event.type)
        event._dispatching = True
        event.target = event._current = self
        event._phase = Event.AT_TARGET
        self._dispatching += 1
        try:
            entries = self._listeners.get(event.type, [])
            index = 0
            while index < len(entries):
                entry = entries[index]
                index += 1
                if entry.removed:
                    continue
                if entry.once:
                    self._remove(event.type, entry)
                _call(entry.callback, event)
                if event._immediate_stop:
                    break
        finally:
            self._dispatching -= 1
            if not self._dispatching:
                for name in [n for n, es in self._listeners.items() if any(e.removed for e in es)]:
                    self._compact(name)
            event._current = None
            event._phase = Event.NONE
            event._dispatching = False
        return not event.defaultPrevented

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        add_event_listener = addEventListener
        dispatch_event = dispatchEvent
        remove_event_listener = removeEventListener


class _Handler:
    """The listener behind an ``on<event>`` attribute: calls whatever the attribute holds
    now, from the place in the list where the attribute was first set."""

    __slots__ = ("handler",)

    def __init__(self, handler: Any) -> None:
        self.handler = handler

    def __call__(self, event: Event) -> Any:
        if callable(self.handler):
            return self.handler(event)
        return None


def event_handler(name: str, doc: str) -> property:
    """An ``on<name>`` attribute for an EventTarget subclass (Node's ``defineEventHandler``):
    reading it gives the handler or ``None``; setting a callable puts it in the place where
    the attribute was first set; setting ``None`` (or a non-callable) silences it."""

    def get(self: EventTarget) -> Any:
        wrapper = self._handlers.get(name)
        return None if wrapper is None else wrapper.handler

    def set_(self: EventTarget, value: Any) -> None:
        wrapper = self._handlers.get(name)
        if wrapper is None:
            wrapper = self._handlers[name] = _Handler(value)
            self.addEventListener(name, wrapper)
            return
        wrapper.handler = value
        registered = any(e.listener is wrapper for e in self._live(name))
        if callable(value) and not registered:
            self.addEventListener(name, wrapper)

    return property(get, set_, doc=doc)


add_snake_twins(EventTarget)
