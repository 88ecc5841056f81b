"""Node's ``stream.Duplex`` (``internal/streams/duplex.js``): both sides in one object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twnet._events import EventEmitter, capture_rejections_option
from twnet._naming import options as _camel_options
from twnet._streams.hooks import DUPLEX_HOOKS, apply_hooks
from twnet._streams.readable import Readable
from twnet._streams.state import _as_options, _ReadableState, _State
from twnet._streams.writable import Writable, _WritableState

__all__ = ["Duplex"]


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
        from twnet._duplexify import duplex_from

        return duplex_from(body)

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
