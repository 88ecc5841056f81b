"""Node's ``AbortController`` and ``AbortSignal``.

``controller.abort(reason)`` aborts ``controller.signal``: ``aborted`` becomes True,
``reason`` is *reason* (by default a :class:`~twnet.DOMException` named ``'AbortError'``) and
the signal dispatches a trusted ``'abort'`` :class:`~twnet.Event` to its listeners (an
``AbortSignal`` is an :class:`~twnet.EventTarget`; ``onabort`` is its handler attribute).
Aborting twice does nothing. ``AbortSignal.abort(reason)`` makes a signal that is already
aborted, ``AbortSignal.timeout(ms)`` one that aborts after *ms* milliseconds with a
``'TimeoutError'`` DOMException (its timer is unref'd: it never keeps ``twnet.run()``
alive), ``AbortSignal.any(signals)`` one that aborts with the first of *signals* to abort.

The helpers at the bottom are what twnet's APIs use to honour a ``signal`` option:
:func:`validate_abort_signal`, and from :mod:`twnet._signals` (the Node core: they read a
signal by its properties) :func:`add_abort_listener` (Node's ``events.addAbortListener``) and
:func:`add_abort_signal` (Node's ``stream.addAbortSignal``, which destroys a stream with
:class:`~twnet.AbortError`).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from twnet import _validators as validators
from twnet._errors import (
    abort_error,
    aborted_reason,
    make_error,
    timeout_reason,
    webidl_type_error,
)
from twnet._eventtarget import Event, EventTarget, event_handler
from twnet._signals import add_abort_listener, add_abort_signal

__all__ = [
    "AbortController",
    "AbortSignal",
    "abort_signal",
    "add_abort_listener",
    "add_abort_signal",
    "validate_abort_signal",
]

_TOKEN = object()
_MISSING: Any = object()


class AbortSignal(EventTarget):
    """Node's ``AbortSignal``: made by an :class:`AbortController` or by the static
    :meth:`abort`, :meth:`timeout` and :meth:`any`; ``AbortSignal()`` itself raises
    ``ERR_ILLEGAL_CONSTRUCTOR`` as in Node."""

    onabort = event_handler("abort", "The ``'abort'`` handler attribute (or ``None``).")

    def __init__(self, _token: object = None) -> None:
        if _token is not _TOKEN:
            raise make_error("ERR_ILLEGAL_CONSTRUCTOR")
        super().__init__()
        self._aborted = False
        self._reason: Any = None
        self._composite = False
        self._sources: list[weakref.ref[AbortSignal]] = []
        self._dependents: list[weakref.ref[AbortSignal]] = []
        self._timer: Any = None

    @property
    def aborted(self) -> bool:
        """Whether the signal was aborted."""
        return self._aborted

    @property
    def reason(self) -> Any:
        """Why it was aborted (``None`` until it is)."""
        return self._reason

    def throwIfAborted(self) -> None:
        """Raise ``reason`` if the signal was aborted. (A reason that is not an exception —
        Node throws any value — is raised wrapped in an :class:`~twnet.AbortError` whose
        ``cause`` it is.)"""
        if self._aborted:
            reason = self._reason
            if isinstance(reason, BaseException):
                raise reason
            raise abort_error(reason)

    @staticmethod
    def abort(reason: Any = _MISSING) -> AbortSignal:
        """A signal that is already aborted with *reason* (by default an ``'AbortError'``
        DOMException)."""
        signal = AbortSignal(_TOKEN)
        signal._aborted = True
        signal._reason = aborted_reason() if reason is _MISSING else reason
        return signal

    @staticmethod
    def timeout(delay: int, *, reactor: Any = None) -> AbortSignal:
        """A signal that aborts *delay* ms from now with
        ``DOMException('The operation was aborted due to timeout', 'TimeoutError')``.
        *delay* must be an integer from 0 to 2**32-1 (``ERR_OUT_OF_RANGE`` otherwise). Its
        timer is a ``setTimeout`` timer, unref'd, so Node's clamping applies (more than
        2**31-1 ms fires after 1 ms, with a ``TimeoutOverflowWarning``)."""
        validators.validate_uint32(delay, "delay")
        from twnet._timers import setTimeout

        signal = AbortSignal(_TOKEN)

        def expire() -> None:
            signal._timer = None
            abort_signal(signal, timeout_reason())

        # Node holds the signal weakly so that a long timeout does not keep it from the
        # garbage collector; here the unref'd timer holds it until it fires, so a listener
        # on a signal nobody else holds still hears it.
        signal._timer = setTimeout(expire, delay, reactor=reactor).unref()
        return signal

    @staticmethod
    def any(signals: Iterable[AbortSignal]) -> AbortSignal:
        """A signal that aborts when the first of *signals* aborts, with its reason (at once
        when one of them already is)."""
        if isinstance(signals, (str, bytes, dict)) or not isinstance(signals, Iterable):
            raise webidl_type_error("signals cannot be converted to sequence.")
        items = list(signals)
        for index, item in enumerate(items):
            if not isinstance(item, AbortSignal):
                raise webidl_type_error(f"signals[{index}] is not of type AbortSignal.")
        result = AbortSignal(_TOKEN)
        result._composite = True
        result_ref = weakref.ref(result)
        for item in items:
            if item._aborted:
                result._aborted = True
                result._reason = item._reason
                return result
            sources = item._sources if item._composite else [weakref.ref(item)]
            for source_ref in sources:
                source = source_ref()
                if source is None or any(s() is source for s in result._sources):
                    continue
                result._sources.append(source_ref)
                source._dependents.append(result_ref)
        return result

    def __repr__(self) -> str:
        return f"AbortSignal {{ aborted: {'true' if self._aborted else 'false'} }}"

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        throw_if_aborted = throwIfAborted


def abort_signal(signal: AbortSignal, reason: Any) -> None:
    """Abort *signal* with *reason* and the signals made by ``AbortSignal.any`` from it
    (the DOM's "signal abort" steps): each dispatches ``'abort'``, *signal* first."""
    if signal._aborted:
        return
    signal._aborted = True
    signal._reason = reason
    dependents = []
    for ref in signal._dependents:
        dependent = ref()
        if dependent is not None and not dependent._aborted:
            dependent._aborted = True
            dependent._reason = reason
            dependents.append(dependent)
    signal._dependents = []
    for each in (signal, *dependents):
        event = Event("abort")
        event._trusted = True
        each.dispatchEvent(event)


class AbortController:
    """Node's ``AbortController``: ``signal`` and ``abort(reason)``."""

    def __init__(self) -> None:
        self._signal = AbortSignal(_TOKEN)

    @property
    def signal(self) -> AbortSignal:
        """The controller's :class:`AbortSignal`."""
        return self._signal

    def abort(self, reason: Any = _MISSING) -> None:
        """Abort ``signal`` with *reason* (by default a DOMException named
        ``'AbortError'``, message ``'This operation was aborted'``)."""
        abort_signal(self._signal, aborted_reason() if reason is _MISSING else reason)

    def __repr__(self) -> str:
        return f"AbortController {{ signal: {self._signal!r} }}"


# -- what twnet's APIs use ----------------------------------------------------------------


def validate_abort_signal(signal: Any, name: str) -> None:
    """Node's ``validateAbortSignal``: ``None`` passes, an :class:`AbortSignal` (or, as in
    Node, any object with ``aborted``) passes, anything else raises ``ERR_INVALID_ARG_TYPE``
    (``The "options.signal" property must be an instance of AbortSignal``)."""
    if not isinstance(signal, AbortSignal):
        validators.validate_abort_signal(signal, name)
