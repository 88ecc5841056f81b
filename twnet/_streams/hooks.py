"""The constructor-option forms of the stream hooks, and ``_construct``.

Node lets a stream's hooks be given to its constructor instead of written in a subclass:
``new Readable({ read(size) { this.push(...) } })``. The function then runs as a method of the
stream (``this`` is the stream). twnet does the same: ``Readable(read=fn)`` binds *fn* to the
stream, so it is called as ``fn(stream, size)`` — the stream comes first, as ``self``.

``_construct(callback)`` (a method, or the ``construct`` option) runs on the next tick after
the constructor; until it calls ``callback()`` no ``_read``, ``_write``, ``_final`` or
``_destroy`` runs (writes wait in the queue, a ``destroy()`` waits for it). ``callback(err)``
destroys the stream with *err*.

The ``signal`` option (an AbortSignal) destroys the stream with an ``AbortError`` when it
aborts (at once when it already has), as Node's constructors do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MethodType
from typing import Any

from twnet._callables import adapt
from twnet._errors import make_error
from twnet._events import capture_rejections_option
from twnet._signals import add_abort_signal
from twnet._streams.destroy import Stream, _error_buffer, _error_or_destroy
from twnet._streams.state import Completion
from twnet._ticks import next_tick
from twnet._validators import validate_abort_signal

__all__ = ["DUPLEX_HOOKS", "READABLE_HOOKS", "WRITABLE_HOOKS", "apply_hooks"]

READABLE_HOOKS = ("read", "destroy", "construct")
WRITABLE_HOOKS = ("write", "writev", "final", "destroy", "construct")
DUPLEX_HOOKS = ("read", "write", "writev", "final", "destroy", "construct")
# How many arguments (after the stream itself) each hook is called with.
_ARITY = {
    "read": 1,
    "write": 3,
    "writev": 2,
    "final": 1,
    "destroy": 2,
    "construct": 1,
    "transform": 3,
    "flush": 1,
}


def apply_hooks(stream: Stream, opts: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """Bind the hook functions given as options (``read=fn`` ...) to *stream*, as Node
    assigns ``options.read`` to ``this._read``; values that are not callable are ignored, as
    Node ignores them. Then start ``_construct`` if the stream has one."""
    for name in names:
        fn = opts.get(name)
        if callable(fn):
            # JavaScript's arity (read() without size...) and async hooks: _callables.adapt.
            setattr(stream, "_" + name, MethodType(adapt(fn, 1 + _ARITY[name]), stream))
    capture_rejections_option(stream, opts)
    signal = opts.get("signal")
    if signal is not None:
        # Node's addAbortSignal: aborting destroys the stream with an AbortError (it checks
        # the signal under the name 'signal': 'The "signal" argument must be ...').
        validate_abort_signal(signal, "signal")
        add_abort_signal(signal, stream)
    if callable(getattr(stream, "_construct", None)):
        _Construction(stream)


class _Construction:
    """A ``_construct`` under way: the stream looks busy (a read and a write in progress) so
    that the state machines call no hook, and ``_destroy`` is held back until it is done."""

    __slots__ = ("destroy_args", "own_destroy", "stream")

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.destroy_args: tuple[BaseException | None, Completion] | None = None
        self.own_destroy = stream.__dict__.get("_destroy")
        r, w = stream._readableState, stream._writableState
        if r is not None:
            r.reading = True
        if w is not None:
            w.writing = True
        stream._destroy = self.hold_destroy  # type: ignore[method-assign]
        next_tick(self.run)

    def hold_destroy(self, error: BaseException | None, callback: Completion) -> None:
        self.destroy_args = (error, callback)

    def run(self) -> None:
        called = False

        def callback(error: BaseException | None = None, /) -> None:
            nonlocal called
            if called:
                _error_or_destroy(self.stream, error or make_error("ERR_MULTIPLE_CALLBACK"))
                return
            called = True
            next_tick(self.done, error)

        construct: Callable[[Completion], None] = self.stream._construct  # type: ignore[attr-defined]
        try:
            construct(callback)
        except Exception as error:
            if not called:
                called = True
                next_tick(self.done, error)

    def done(self, error: BaseException | None) -> None:
        stream = self.stream
        if self.own_destroy is None:
            del stream._destroy
        else:
            stream._destroy = self.own_destroy  # type: ignore[method-assign]
        r, w = stream._readableState, stream._writableState
        if r is not None:
            r.reading = False
        if w is not None:
            w.writing = False
        held = self.destroy_args
        if held is not None:
            destroy_error, destroy_callback = held
            if w is not None:
                _error_buffer(w)
            stream._destroy(destroy_error, destroy_callback)
            return
        if error is not None:
            _error_or_destroy(stream, error, True)
            return
        stream._after_construct()
