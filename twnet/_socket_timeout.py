"""``socket.setTimeout``: Node's idle timeout of a Socket, as a base class of
:class:`~twnet.Socket` (the fields are the Socket's slots)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from twnet import _runtime
from twnet._clock import Timer
from twnet._socket_fields import SocketFields
from twnet._validators import timer_duration, validate_function

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["SocketTimeout"]


class SocketTimeout(SocketFields):
    """The idle timer of a Socket: ``setTimeout``, ``timeout`` and ``_touch()`` (activity)."""

    __slots__ = ()

    def setTimeout(self, msecs: float, callback: Callable[[], object] | None = None) -> Self:
        """Emit ``'timeout'`` after *msecs* ms with no activity (reads, writes, connect)
        in either direction; the socket stays open. 0 disables it. *callback* becomes a
        one-time ``'timeout'`` listener (removed again by ``setTimeout(0, callback)``).
        The timer is unref'd and goes through the reactor's ``IReactorTime``.

        As in Node: *msecs* must be a finite number >= 0 (longer than 2**31-1 ms means
        2**31-1 ms); on a destroyed socket the call does nothing, whatever its arguments."""
        if self.destroyed:
            return self
        duration = timer_duration(msecs, "msecs")
        if callback is not None:
            validate_function(callback, "callback")
        self._cancel_timer()
        self._timeout_set = msecs
        if duration == 0:
            self._timeout_ms = 0
            if callback is not None:
                self.removeListener("timeout", callback)
            return self
        self._timeout_ms = duration
        self._touch()
        if callback is not None:
            self.once("timeout", callback)
        return self

    @property
    def timeout(self) -> float | None:
        """The idle timeout in ms last given to ``setTimeout`` (0: disabled; None when
        ``setTimeout`` was never called), as Node's ``socket.timeout``."""
        return self._timeout_set

    def _touch(self) -> None:
        """Activity: the idle timer starts over."""
        clock = self._reactor
        self._last_active = clock.seconds()
        if self._timeout_ms:
            timer = self._timer
            if timer is None:
                timer = self._timer = Timer(clock, _runtime.dispatch, self._on_timer, ref=False)
            if not timer.active():
                timer.start(self._timeout_ms / 1000)

    def _cancel_timer(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def _on_timer(self) -> None:
        if not self._timeout_ms or self.destroyed:
            return
        idle = self._reactor.seconds() - self._last_active
        remaining = self._timeout_ms / 1000 - idle
        if remaining > 1e-9:
            self._timer.start(remaining)  # (the timer that just fired)
            return
        self.emit("timeout")

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        set_timeout = setTimeout
