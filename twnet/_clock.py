"""One timer on a Twisted clock (``IReactorTime``), with Node's ``ref``/``unref``/``refresh``.

Every timer twnet keeps for itself (the timers module's one reactor call, a socket's idle
timeout, a connection attempt's timeout...) is a :class:`Timer`, so that starting, restarting,
cancelling and counting it for liveness is done in one place: an unref'd timer does not keep
``twnet.run()`` alive (:func:`twnet._liveness.unref_timer`), as an unref'd libuv timer does not
keep Node's loop alive. Timers that run user code go through :func:`twnet._ticks.dispatch`
themselves (pass it as *fn*), so that the nextTick queue drains after each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twisted.internet.interfaces import IDelayedCall, IReactorTime

from twnet._liveness import forget_timer, unref_timer

__all__ = ["Timer"]


class Timer:
    """``fn(*args)`` after a delay on *clock*, once per :meth:`start`.

    Created stopped. :meth:`start` (re)arms it for *seconds* from now, cancelling a pending
    call; :meth:`refresh` arms it again with the last delay; :meth:`cancel` stops it. A timer
    made with ``ref=False`` (or :meth:`unref`'d) does not keep ``twnet.run()`` alive.
    """

    __slots__ = ("_args", "_call", "_clock", "_delay", "_fn", "_refd")

    def __init__(
        self, clock: IReactorTime, fn: Callable[..., object], *args: Any, ref: bool = True
    ) -> None:
        self._clock = clock
        self._fn = fn
        self._args = args
        self._refd = ref
        self._delay = 0.0
        self._call: IDelayedCall | None = None

    @property
    def clock(self) -> IReactorTime:
        """The clock the timer runs on."""
        return self._clock

    def active(self) -> bool:
        """Whether a call is pending."""
        return self._call is not None

    def when(self) -> float | None:
        """The clock time the pending call is due at, else None."""
        call = self._call
        return None if call is None else float(call.getTime())

    def start(self, seconds: float) -> None:
        """Call ``fn(*args)`` *seconds* from now (a pending call is cancelled first)."""
        self.cancel()
        self._delay = seconds
        call = self._clock.callLater(seconds, self._fire)
        self._call = call if self._refd else unref_timer(call)

    def refresh(self) -> None:
        """Start again with the delay of the last :meth:`start`, from now."""
        self.start(self._delay)

    def cancel(self) -> None:
        """Stop the pending call, if any."""
        call, self._call = self._call, None
        if call is not None:
            if call.active():
                call.cancel()
            forget_timer(call)

    def ref(self) -> None:
        """Let the timer keep ``twnet.run()`` alive (the default)."""
        if not self._refd:
            self._refd = True
            forget_timer(self._call)

    def unref(self) -> None:
        """Stop the timer from keeping ``twnet.run()`` alive."""
        if self._refd:
            self._refd = False
            if self._call is not None:
                unref_timer(self._call)

    def has_ref(self) -> bool:
        """Whether the timer keeps ``twnet.run()`` alive when pending."""
        return self._refd

    def _fire(self) -> None:
        call, self._call = self._call, None
        forget_timer(call)
        self._fn(*self._args)
