"""Liveness: what keeps ``twnet.run()`` alive, as what keeps Node's loop alive.

Server and Socket :func:`hold` / :func:`release` themselves while ref'd; an open socket that
does not read is *quiet* (:func:`set_quiet`) and holds the run only while its ``_busy()``
says so; a DelayedCall twnet makes for itself is counted unless :func:`unref_timer` marked it.
:func:`alive` is what :func:`twnet._runtime.run` asks after each reactor turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from twnet._ticks import queue as _ticks

if TYPE_CHECKING:
    from twisted.internet.interfaces import IDelayedCall, IReactorTime

__all__ = [
    "alive",
    "all_held_quiet",
    "forget_timer",
    "hold",
    "is_held",
    "release",
    "set_quiet",
    "unref_timer",
]

# How many handles are held. Each handle marks itself (its ``_holding`` attribute): a set of
# them would cost tens of bytes per open socket.
_held = 0
_unref_timers: set[int] = set()
# The held handles that may be idle: open sockets that do not read (paused, at the high-water
# mark, after EOF). Each holds the run only while its ``_busy()`` says so (writes pending).
_quiet: set[Any] = set()


def hold(handle: Any) -> None:
    """*handle* (a listening server, a connecting or open socket) keeps the run alive.
    Handles are objects that take a ``_holding`` attribute."""
    global _held
    if not getattr(handle, "_holding", False):
        handle._holding = True
        _held += 1


def release(handle: Any) -> None:
    """*handle* no longer keeps the run alive (closed or ``unref()``'d)."""
    global _held
    if getattr(handle, "_holding", False):
        handle._holding = False
        _held -= 1
        _quiet.discard(handle)


def set_quiet(handle: Any, quiet: bool) -> None:
    """Whether held *handle* (a Socket) is open but not reading: it then keeps the run alive
    only while its ``_busy()`` is true, as a Node socket holds its process only while libuv
    reads it or has writes pending."""
    if quiet and getattr(handle, "_holding", False):
        _quiet.add(handle)
    else:
        _quiet.discard(handle)


def is_held(handle: Any) -> bool:
    """Whether *handle* currently keeps the run alive."""
    return bool(getattr(handle, "_holding", False))


def unref_timer(call: IDelayedCall) -> IDelayedCall:
    """Mark a DelayedCall twnet made as not keeping the run alive (Node's unref'd timers,
    such as a socket's idle timeout). Returns *call*."""
    _unref_timers.add(id(call))
    return call


def forget_timer(call: IDelayedCall | None) -> None:
    """Forget a DelayedCall passed to :func:`unref_timer` once it ran or was cancelled."""
    if call is not None:
        _unref_timers.discard(id(call))


def all_held_quiet() -> bool:
    """Whether every held handle is a quiet one (so the run may be over)."""
    return _held <= len(_quiet)


def alive(reactor: Any) -> bool:
    """Whether anything keeps the run alive: a tick, a held handle that reads or is busy,
    a ref'd pending call on *reactor*."""
    if _ticks or _held > len(_quiet):
        return True
    if any(handle._busy() for handle in _quiet):
        return True
    time = cast("IReactorTime", reactor)
    return any(id(call) not in _unref_timers and call.active() for call in time.getDelayedCalls())
