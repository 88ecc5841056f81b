"""Node's ``stream.Duplex`` (``internal/streams/duplex.js``): both sides in one object."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from twnet._events import EventEmitter, capture_rejections_option
from twnet._naming import options as _camel_options
from twnet._streams.hooks import DUPLEX_HOOKS, apply_hooks
from twnet._streams.readable import Readable
from twnet._streams.state import _as_options, _ReadableState, _State
from twnet._streams.writable import Writable, _WritableState

__all__ = ["Duplex"]


#: The implementation of :meth:`Duplex.from_`, :func:`twnet._duplexify.duplex_from`, which
#: installs it (:func:`install_duplex_from`) when imported, as ``import twnet`` does: it
#: drives functions and awaitables with Deferreds, on the Twisted side.
_from_impl: Callable[[Any], Any] | None = None


def install_duplex_from(impl: Callable[[Any], Any]) -> None:
    """Install the implementation of :meth:`Duplex.from_` (:mod:`twnet._duplexify` does)."""
    global _from_impl
    _from_impl = impl


class Duplex(Readable, Writable):
    """Node's ``stream.Duplex``: a Readable and a Writable in one object, as a socket is.

    With ``allowHalfOpen`` False (the default is True), the end of the readable side ends the
    writable side too, after the writes already queued (Node calls ``end()`` on the next tick
    after ``'end'``).
    """

    __slots__ = ()

    _readableState: _ReadableState
    _writableState: _WritableState

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        opts = _camel_options(_as_options(options), **kwargs)
        self._init_duplex(opts)
        apply_hooks(self, opts, DUPLEX_HOOKS)

    def _init_duplex(self, opts: Mapping[str, Any]) -> None:
        """``__init__`` with options already in camelCase (a subclass's constructor)."""
        EventEmitter.__init__(self)
        capture_rejections_option(self, opts)
        self._readableState = r = _ReadableState(opts, True)
        self._writableState = w = _WritableState(self, opts, True)
        self._allowHalfOpen = opts.get("allowHalfOpen") is not False
        if opts.get("readable") is False:
            r.readable = False
            r.ended = r.endEmitted = True
        if opts.get("writable") is False:
            w.writable = False
            w.ending = w.ended = w.finished = True

    def _states(self) -> tuple[_State, ...]:
        return (self._readableState, self._writableState)

    @staticmethod
    def from_(body: Any) -> Any:  # type: ignore[override]
        """Node's ``Duplex.from(body)`` (``getattr(Duplex, 'from')`` is this function): a
        Duplex made of a stream, a function, an iterable, a ``{'readable', 'writable'}``
        pair or an awaitable (see :mod:`twnet._duplexify`)."""
        if _from_impl is None:
            raise RuntimeError("twnet._duplexify is not imported (importing twnet imports it)")
        return _from_impl(body)

    @property
    def allowHalfOpen(self) -> bool:
        """False: end the writable side when the readable side ends."""
        return self._allowHalfOpen

    @allowHalfOpen.setter
    def allowHalfOpen(self, value: bool) -> None:
        self._allowHalfOpen = bool(value)

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        allow_half_open = allowHalfOpen


setattr(Duplex, "from", vars(Duplex)["from_"])
