"""Node's ``events.EventEmitter``.

Listeners run synchronously, in the order they were added, over a snapshot of the listener list
taken when :meth:`EventEmitter.emit` starts: a listener added or removed during an emit does
not change that emit. As in Node, an event with one listener keeps the bare listener and one
with several keeps a tuple; either is replaced, never mutated, so the snapshot costs nothing.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping
from types import MethodType
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from twnet._callables import invoke, refit, settle
from twnet._errors import NodeError, make_error
from twnet._naming import add_snake_twins
from twnet._naming import options as camel_options
from twnet._ticks import report_current
from twnet._validators import (
    js_string,
    js_truthy,
    validate_boolean,
    validate_function,
    validate_number,
)

__all__ = [
    "EventEmitter",
    "EventName",
    "Listener",
    "MaxListenersExceededWarning",
    "captureRejectionSymbol",
    "errorMonitor",
    "handle_rejection",
]

#: A listener or callback: called with the event's arguments; what it returns is ignored
#: (a coroutine or Deferred is run, see ``docs/python-native.rst``).
Listener: TypeAlias = Callable[..., object]
#: Node's event name, ``string | symbol``: a ``str``, or any hashable object standing for a
#: symbol (:data:`errorMonitor`, ``events.captureRejectionSymbol``, an ``object()``).
EventName: TypeAlias = Hashable
_Stored = Listener | tuple[Listener, ...]  # one listener, or two and more in order
_E = TypeVar("_E", bound="EventEmitter")


def _all(stored: _Stored | None) -> tuple[Listener, ...]:
    """The listeners of one event as a tuple, whichever way they are stored."""
    if stored is None:
        return ()
    return stored if isinstance(stored, tuple) else (stored,)


class MaxListenersExceededWarning(RuntimeWarning):
    """Warned once per event name when more listeners than ``getMaxListeners()`` are added."""


class _ErrorMonitor:
    def __repr__(self) -> str:
        return "events.errorMonitor"


#: Node's ``events.errorMonitor``: listeners for this key see every ``'error'`` first,
#: without counting as handlers.
errorMonitor: Hashable = _ErrorMonitor()


class _RejectionSymbol(str):
    """A method name standing for Node's ``Symbol.for('nodejs.rejection')``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Symbol(nodejs.rejection)"


#: Node's ``events.captureRejectionSymbol``. Python has no symbols: this is the name of the
#: method (``_nodejs_rejection``) that an emitter capturing rejections may define,
#: ``method(err, event, *args)``, to receive the failure of a coroutine listener of *event*
#: (called with the event's arguments) instead of emitting ``'error'``. Streams define it to
#: destroy themselves with the error, servers to destroy the connection whose
#: ``'connection'`` listener failed. Define it in a class body as ``def _nodejs_rejection``
#: or with ``setattr(cls, captureRejectionSymbol, fn)``.
captureRejectionSymbol: str = _RejectionSymbol("_nodejs_rejection")


class _Refitted:
    """The arguments to call a listener with again, fitted to what it takes."""

    __slots__ = ("args", "kwargs")

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.args = args
        self.kwargs = kwargs


class _Once:
    """The wrapper that ``once`` registers: removes itself, then calls ``listener``."""

    __slots__ = ("emitter", "fired", "listener", "name")

    def __init__(self, emitter: EventEmitter, name: Any, listener: Listener) -> None:
        self.emitter = emitter
        self.name = name
        self.listener = listener
        self.fired = False

    def __call__(self, *args: Any) -> Any:
        if self.fired:
            return None
        self.fired = True
        self.emitter.removeListener(self.name, self)
        return invoke(self.listener, args)

    def __repr__(self) -> str:
        return f"<once {self.listener!r}>"


class _MethodOnce(_Once):
    """A ``once`` wrapper of ``owner.<func>`` that holds the function and its object, and
    makes the bound method only when asked for it (``listener``): 64 bytes fewer for each of
    the three ``once`` listeners a ``pipe()`` keeps."""

    __slots__ = ("func", "owner")

    def __init__(
        self, emitter: EventEmitter, name: Any, owner: object, func: Callable[..., Any]
    ) -> None:
        self.emitter = emitter
        self.name = name
        self.fired = False
        self.owner = owner
        self.func = func

    @property
    def listener(self) -> Listener:  # type: ignore[override]
        return MethodType(self.func, self.owner)


def _key(name: Any) -> Any:
    """The key an event is stored under: its name, or for a name Python cannot hash (a
    dict, a list) the string JavaScript makes of it as a property key (``'[object Object]'``,
    ``'1,2'``), as Node's store of events, a plain object, does."""
    try:
        hash(name)
    except TypeError:
        return js_string(name)
    return name


def _same(registered: Listener, listener: Listener) -> bool:
    """Whether *registered* (maybe a ``once`` wrapper) stands for *listener*. Identity, as
    Node's ``===``, except that bound methods compare equal when they bind the same
    function to the same object: ``obj.method`` is a new object at every access, and
    ``off(name, obj.method)`` must remove what ``on(name, obj.method)`` added."""
    if registered is listener:
        return True
    inner = getattr(registered, "listener", registered)
    if inner is listener:
        return True
    return type(listener) is MethodType and inner == listener


class EventEmitter:
    """Node's ``EventEmitter``; every camelCase method also answers to its snake_case twin.

    Event names are usually strings but, as in Node, any hashable value works.
    """

    #: Node's ``EventEmitter.defaultMaxListeners``: the limit for emitters that did not call
    #: :meth:`setMaxListeners`. Warnings only, never errors.
    defaultMaxListeners: ClassVar[int] = 10
    errorMonitor: ClassVar[Hashable] = errorMonitor
    #: Node's ``EventEmitter.captureRejections``: the ``captureRejections`` of emitters made
    #: while it is set. False by default. The camelCase name is read; setting
    #: ``twnet.events.captureRejections`` (or its twin) sets both spellings here.
    captureRejections: ClassVar[bool] = False
    #: False: an exception that escapes a listener propagates out of :meth:`emit`, as in
    #: Node. twnet's own emitters (Socket, Server, the streams) set it True: whoever emitted,
    #: the exception is reported as uncaught where it escapes (logged through
    #: ``twisted.logger``; under ``twnet.run()`` it ends the run), the remaining listeners
    #: run, and the object's own work (ending, closing, releasing its descriptor and
    #: timers) goes on as if the listener had returned.
    _contains_listener_errors: ClassVar[bool] = False

    __slots__ = ("_capture", "_events", "_max_listeners", "_warned")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_snake_twins(cls)

    def __init__(self, options: Any = None, /, **kwargs: Any) -> None:
        """``new EventEmitter([options])``. Node reads ``captureRejections`` from any
        options object: when it is given and true-ish it must be a boolean
        (``ERR_INVALID_ARG_TYPE`` otherwise); anything else passed is ignored, as in Node.
        Options may also be given as keywords (``capture_rejections=True``).

        ``captureRejections=True`` (or :attr:`captureRejections` true when the emitter is
        made, an option of ``False`` notwithstanding, as in Node): when a listener's
        coroutine (or returned Deferred) fails, the emitter's ``captureRejectionSymbol``
        method gets the error if it has one, else ``'error'`` is emitted with it, on the
        next tick. Without it the failure is an uncaught exception."""
        capture = None
        if kwargs or (isinstance(options, Mapping) and options):
            mapping = options if isinstance(options, Mapping) else None
            capture = camel_options(mapping, **kwargs).get("captureRejections")
            if js_truthy(capture):
                validate_boolean(capture, "options.captureRejections")
        # Node: a true option turns it on; anything else (false too) leaves the default.
        self._capture: bool = capture is True or EventEmitter.captureRejections
        self._events: dict[Any, _Stored] = {}
        self._max_listeners: float | None = None
        self._warned: set[Any] | None = None

    # -- adding ---------------------------------------------------------------------------

    def _add(self, name: Any, listener: Listener, prepend: bool) -> None:
        """Store *listener* (maybe a ``once`` wrapper, whose listener was checked)."""
        validate_function(listener, "listener")
        name = _key(name)
        events = self._events
        if "newListener" in events:
            self.emit("newListener", name, getattr(listener, "listener", listener))
            events = self._events  # its listeners may have replaced the dict
        current = events.get(name)
        if current is None:
            events[name] = listener
            return
        if isinstance(current, tuple):
            count = len(current) + 1
            events[name] = (listener, *current) if prepend else (*current, listener)
        else:
            count = 2
            events[name] = (listener, current) if prepend else (current, listener)
        limit = self.getMaxListeners()
        if 0 < limit < count:
            self._warn_leak(name, count, limit)

    def _warn_leak(self, name: Any, count: int, limit: float) -> None:
        if self._warned is None:
            self._warned = set()
        if name in self._warned:
            return
        self._warned.add(name)
        warnings.warn(
            MaxListenersExceededWarning(
                f"Possible EventEmitter memory leak detected. {count} {name} listeners added "
                f"to [{type(self).__name__}]. MaxListeners is {limit}. Use "
                "emitter.setMaxListeners() to increase limit"
            ),
            stacklevel=4,
        )

    def on(self: _E, name: EventName, listener: Listener) -> _E:
        """Add *listener* at the end of the list for *name*; returns the emitter."""
        self._add(name, listener, False)
        return self

    addListener = on

    def prependListener(self: _E, name: EventName, listener: Listener) -> _E:
        """Add *listener* at the beginning of the list for *name*."""
        self._add(name, listener, True)
        return self

    def once(self: _E, name: EventName, listener: Listener) -> _E:
        """Add a listener called at most once: removed before it is called."""
        validate_function(listener, "listener")
        self._add(name, _Once(self, name, listener), False)
        return self

    def prependOnceListener(self: _E, name: EventName, listener: Listener) -> _E:
        """As :meth:`once`, at the beginning of the list."""
        validate_function(listener, "listener")
        self._add(name, _Once(self, name, listener), True)
        return self

    # -- removing -------------------------------------------------------------------------

    def removeListener(self: _E, name: EventName, listener: Listener) -> _E:
        """Remove the most recently added instance of *listener* (or of a ``once`` wrapper of
        it) for *name*; emits ``'removeListener'`` afterwards. Returns the emitter.

        Listeners are matched by identity, as Node's ``===``, except bound methods: a fresh
        ``obj.method`` matches the one added earlier (Python makes a new one per access)."""
        validate_function(listener, "listener")
        name = _key(name)
        events = self._events
        current = events.get(name)
        if current is None:
            return self
        if not isinstance(current, tuple):
            if current is not listener and not _same(current, listener):
                return self
            del events[name]
            removed = current
        else:
            for index in range(len(current) - 1, -1, -1):
                removed = current[index]
                if removed is listener or _same(removed, listener):
                    break
            else:
                return self
            rest = current[:index] + current[index + 1 :]
            events[name] = rest[0] if len(rest) == 1 else rest
        if "removeListener" in events:
            self.emit("removeListener", name, getattr(removed, "listener", removed))
        return self

    off = removeListener

    def removeAllListeners(self: _E, name: EventName | None = None) -> _E:
        """Remove every listener, or every listener of *name*; ``'removeListener'`` is emitted
        for each (last added first), and ``'removeListener'`` listeners go last."""
        if name is not None:
            name = _key(name)
        if "removeListener" not in self._events:
            if name is None:
                self._events = {}
            else:
                self._events.pop(name, None)
            return self
        names = [name] if name is not None else list(self._events)
        if name is None and "removeListener" in names:
            names.remove("removeListener")
            names.append("removeListener")
        for each in names:
            for listener in reversed(_all(self._events.get(each))):
                self.removeListener(each, listener)
        return self

    # -- emitting -------------------------------------------------------------------------

    def emit(self, name: EventName, *args: Any) -> bool:
        """Call every listener of *name* with *args*, synchronously and in order.

        Returns whether there were listeners. ``emit('error', err)`` with no ``'error'``
        listener raises *err* (a value that is not an exception is wrapped in an error with
        code ``ERR_UNHANDLED_ERROR``), as Node throws it. On an emitter that contains its
        listeners' errors (twnet's sockets, servers and streams), an exception that escapes
        a listener, and an unhandled ``'error'``, are reported as uncaught instead
        (:func:`twnet._runtime.report_uncaught`) and the emit goes on.
        """
        events = self._events
        try:
            listeners = events.get(name)
        except TypeError:  # an unhashable name
            name = _key(name)
            listeners = events.get(name)
        if listeners is None:
            if name == "error":
                return self._unhandled_error(args)
            return False
        if name == "error" and errorMonitor in events:
            self._call_each(_all(events[errorMonitor]), args)
        # (try costs nothing in CPython 3.11+ until something raises; a listener that takes
        # the arguments as they are and returns None costs one test of its result more.)
        if isinstance(listeners, tuple):
            for listener in listeners:
                try:
                    result = listener(*args)
                except BaseException as error:
                    result = self._failed(listener, args, error)
                if result is not None:
                    self._returned(result, listener, name, args)
        else:
            try:
                result = listeners(*args)
            except BaseException as error:
                result = self._failed(listeners, args, error)
            if result is not None:
                self._returned(result, listeners, name, args)
        return True

    def _call_each(self, listeners: tuple[Listener, ...], args: tuple[Any, ...]) -> None:
        for listener in listeners:
            try:
                result = listener(*args)
            except BaseException as error:
                result = self._failed(listener, args, error)
            if result is not None:
                self._returned(result, listener, errorMonitor, args)

    def _failed(self, listener: Listener, args: tuple[Any, ...], error: BaseException) -> Any:
        """In ``emit``'s ``except``: *listener* raised *error*. When it is only that the
        listener takes other arguments than the event's (JavaScript's arity, see
        :mod:`twnet._callables`), the fitted call is returned for :meth:`_returned` to make
        (outside the ``except``, so that its own errors are not chained to this one).
        Otherwise *error* propagates, or is reported as uncaught on an emitter that contains
        its listeners' errors."""
        fitted = refit(listener, args, error)
        if fitted is not None:
            return _Refitted(fitted[0], fitted[1])
        if not self._contains_listener_errors:
            raise  # emit's exception, being handled
        report_current()
        return None

    def _returned(self, result: Any, listener: Listener, name: Any, args: tuple[Any, ...]) -> None:
        """A listener returned *result* (not ``None``): the call to make again with fitted
        arguments (:meth:`_failed`), or a coroutine or Deferred to run, whose failure goes to
        this emitter's rejection handling when it captures rejections (Node's
        ``captureRejections``) and to the uncaught-exception policy otherwise."""
        if type(result) is _Refitted:
            try:
                result = listener(*result.args, **result.kwargs)
            except BaseException:
                if not self._contains_listener_errors:
                    raise
                report_current()
                return
            if result is None:
                return
        settle(result, self if getattr(self, "_capture", False) else None, name, args)

    def _unhandled_error(self, args: tuple[Any, ...]) -> bool:
        self._call_each(_all(self._events.get(errorMonitor)), args)
        err = args[0] if args else None
        if not isinstance(err, BaseException):
            error = make_error("ERR_UNHANDLED_ERROR", err)
            if isinstance(error, NodeError):
                error.context = err  # type: ignore[attr-defined]
            err = error
        if not self._contains_listener_errors:
            raise err
        try:
            raise err
        except BaseException:
            report_current()
        return False

    # -- inspecting -----------------------------------------------------------------------

    def listeners(self, name: EventName) -> list[Listener]:
        """A copy of the listeners of *name*, ``once`` wrappers unwrapped."""
        return [getattr(fn, "listener", fn) for fn in _all(self._events.get(_key(name)))]

    def rawListeners(self, name: EventName) -> list[Listener]:
        """A copy of the listeners of *name*, ``once`` wrappers included (calling one calls
        the listener once and removes it)."""
        return list(_all(self._events.get(_key(name))))

    def listenerCount(self, name: EventName, listener: Listener | None = None) -> int:
        """How many listeners *name* has (only those that are *listener*, when given)."""
        current = _all(self._events.get(_key(name)))
        if listener is None:
            return len(current)
        return sum(1 for fn in current if _same(fn, listener))

    def eventNames(self) -> list[EventName]:
        """The names that have listeners, in the order they were first added."""
        return list(self._events)

    def setMaxListeners(self: _E, n: float) -> _E:
        """Warn past *n* listeners for one event (0 or ``math.inf``: unlimited). Returns the
        emitter. *n* is any number >= 0, kept as given (``1.5`` too), as in Node."""
        validate_number(n, "setMaxListeners", 0)
        self._max_listeners = n
        return self

    def getMaxListeners(self) -> float:
        """The current limit: :meth:`setMaxListeners`' value or ``defaultMaxListeners``."""
        limit = self._max_listeners
        return type(self).defaultMaxListeners if limit is None else limit

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        add_listener = addListener
        capture_rejections = captureRejections
        default_max_listeners = defaultMaxListeners
        error_monitor = errorMonitor
        event_names = eventNames
        get_max_listeners = getMaxListeners
        listener_count = listenerCount
        prepend_listener = prependListener
        prepend_once_listener = prependOnceListener
        raw_listeners = rawListeners
        remove_all_listeners = removeAllListeners
        remove_listener = removeListener
        set_max_listeners = setMaxListeners


add_snake_twins(EventEmitter)


def capture_rejections_option(emitter: EventEmitter, options: Mapping[str, Any]) -> None:
    """For a subclass that reads its options itself (the streams): *options*' (camelCase)
    ``captureRejections``, checked and applied as ``EventEmitter(options)`` does."""
    capture = options.get("captureRejections")
    if js_truthy(capture):
        validate_boolean(capture, "options.captureRejections")
        emitter._capture = True


def handle_rejection(emitter: EventEmitter, error: BaseException, name: Any, args: Any) -> None:
    """A coroutine (or Deferred) that a listener of *emitter*'s *name* returned failed with
    *error*, and *emitter* captures rejections: Node's handling, run on a tick. The emitter's
    :data:`captureRejectionSymbol` method gets ``(error, name, *args)`` when it has one;
    else ``'error'`` is emitted with *error*, with capturing off meanwhile (a coroutine
    ``'error'`` listener that fails then is an uncaught exception, as in Node)."""
    method = getattr(emitter, captureRejectionSymbol, None)
    if callable(method):
        method(error, name, *args)
        return
    previous = getattr(emitter, "_capture", False)
    emitter._capture = False
    try:
        emitter.emit("error", error)
    finally:
        emitter._capture = previous
