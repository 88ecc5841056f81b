"""Honouring a ``signal`` option: reacting to an ``AbortSignal`` by what Node reads of it.

Node's helpers read an AbortSignal by its properties (``aborted``, ``reason``) and listen with
``addEventListener``; so do these, which keeps them in the Node core (no Twisted, no
``EventTarget`` class): :func:`add_abort_listener` (Node's ``events.addAbortListener``) and
:func:`add_abort_signal` (Node's ``addAbortSignalNoValidate``, behind ``stream.addAbortSignal``
and the ``signal`` option of the stream constructors). :mod:`twnet._abort` re-exports both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from twnet._errors import abort_error
from twnet._ticks import next_tick

__all__ = ["SignalLike", "add_abort_listener", "add_abort_signal"]


class SignalLike(Protocol):
    """What these helpers use of an ``AbortSignal``."""

    @property
    def aborted(self) -> bool: ...

    @property
    def reason(self) -> Any: ...

    def addEventListener(self, type: str, listener: Any, options: Any = None) -> None: ...

    def removeEventListener(self, type: str, listener: Any, options: Any = None) -> None: ...


def add_abort_listener(signal: SignalLike, listener: Callable[[], Any]) -> Callable[[], None]:
    """Node's ``events.addAbortListener``: call ``listener()`` once when *signal* aborts (on
    the next tick when it already has). Returns a function that removes the listener."""
    if signal.aborted:
        next_tick(listener)
        return lambda: None

    def on_abort(_event: object) -> None:
        listener()

    signal.addEventListener("abort", on_abort, {"once": True})
    return lambda: signal.removeEventListener("abort", on_abort)


def add_abort_signal(signal: SignalLike, stream: Any) -> Any:
    """Node's ``addAbortSignalNoValidate``: destroy *stream* with an :class:`AbortError`
    (``cause``: the signal's reason) when *signal* aborts — at once when it already has.
    The listener is removed when the stream closes. Returns *stream*."""

    if not hasattr(signal, "aborted"):
        return stream  # Node ignores what has no ``aborted``

    def on_abort() -> None:
        stream.destroy(abort_error(signal.reason))

    if signal.aborted:
        on_abort()
        return stream
    dispose = add_abort_listener(signal, on_abort)
    stream.once("close", lambda *_: dispose())
    return stream
