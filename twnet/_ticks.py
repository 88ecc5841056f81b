"""Node's ``process.nextTick`` queue and the calls into user code, without Twisted.

* :func:`next_tick` queues ``fn(*args)`` to run after the current callback, before the event
  loop does anything else (a FIFO, drained by :func:`drain_ticks`).
* :func:`dispatch` (and :func:`entry`, :func:`deliver`) runs a callback that comes from the
  event loop: an exception it raises is reported as uncaught and, once the outermost such call
  returns, the queue is drained — Node's nextTick queue after each callback.
* :func:`report_current`, :func:`run_callback`: an exception that escapes user code is never
  swallowed; it goes to the reporter the runtime installed.

Two things belong to the event loop and are installed by :mod:`twnet._runtime` when it is
imported (:func:`install`): the *reporter* (an exception escaped: Node's
``uncaughtException``; the runtime logs it through :mod:`twisted.logger` or ends
``twnet.run()``) and the *waker* (ticks were queued outside any callback: ask the reactor to
call :func:`wake_up` soon, and cancel that request when a drain has made it needless). The
Node core (:mod:`twnet._events`, :mod:`twnet._streams`) uses this module, never the runtime.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar

from twnet import _callables

__all__ = [
    "Waker",
    "callback_failed",
    "deliver",
    "dispatch",
    "drain_ticks",
    "entry",
    "in_user_call",
    "install",
    "next_tick",
    "report_current",
    "run_callback",
    "user_call",
    "wake_up",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class Waker(Protocol):
    """How the event loop drains ticks queued outside any callback (the runtime's)."""

    def request(self) -> None:
        """Call :func:`wake_up` soon (on the loop's next turn)."""

    def cancel(self) -> None:
        """The last request is no longer needed (a drain ran the ticks it was for)."""


def _print_current() -> None:
    # Only until the runtime installs its reporter (importing twnet does): never silent.
    sys.excepthook(*sys.exc_info())


class _NoWaker:
    def request(self) -> None:
        return None

    def cancel(self) -> None:
        return None


#: The queue: (function, arguments). Read (never replaced) by the runtime: it drains what is
#: left when a run starts and clears it when a run ends.
queue: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
_report: Callable[[], None] = _print_current
_waker: Waker = _NoWaker()
_wake_requested = False
_draining = False
_in_callback = False
_exiting = False  # twnet.run() is shutting the reactor down: Node's process exit
_user_calls = 0  # the depth of user_call blocks


def install(report: Callable[[], None], waker: Waker) -> None:
    """Install the event loop's side: *report* is called inside an ``except`` block with the
    exception that escaped user code; *waker* drains ticks queued outside callbacks."""
    global _report, _waker
    _report = report
    _waker = waker


def set_exiting(exiting: bool) -> None:
    """The run is over (Node's process is exiting): :func:`dispatch` no longer reaches user
    code, as Twisted closes what is still open at shutdown."""
    global _exiting
    _exiting = exiting


def next_tick(fn: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(fn, ...args)``: run ``fn(*args)`` after the current callback."""
    global _wake_requested
    queue.append((fn, args))
    if not _wake_requested and not _draining and not _in_callback:
        _wake_requested = True
        _waker.request()


def wake_up() -> None:
    """What the waker's request calls: the reactor's turn to drain the queue."""
    global _wake_requested
    _wake_requested = False
    drain_ticks()


def drain_ticks() -> None:
    """Run queued ticks, and the ticks they queue, until none is left.

    An exception from a tick is reported as uncaught (:func:`report_current`) and the
    remaining ticks still run, as Node keeps its queue when an error is handled.
    """
    global _draining, _wake_requested
    if _draining:
        return
    _draining = True
    try:
        while queue:
            fn, args = queue.popleft()
            try:
                fn(*args)
            except BaseException:
                _report()
    finally:
        _draining = False
        if _wake_requested:
            _wake_requested = False
            _waker.cancel()
    # Whether the run is over is asked once per reactor turn (run_until_current in run()),
    # which follows every callback that drains ticks; not after each drain.


def dispatch(fn: Callable[..., _R], *args: Any) -> _R | None:
    """Run ``fn(*args)`` for the event loop (a protocol, producer, timer or Deferred calling
    into twnet): an escaped exception is reported as uncaught, and once the outermost such
    call returns the tick queue is drained (Node's nextTick queue after each callback).
    Ticks queued meanwhile need no wake-up of their own."""
    global _in_callback
    if _exiting:
        # The run is over (Node's process has exited): Twisted closing what is still open
        # at shutdown (unref'd sockets and servers) must not reach user code.
        return None
    if _in_callback:
        try:
            return fn(*args)
        except BaseException:
            _report()
            return None
    _in_callback = True
    try:
        return fn(*args)
    except BaseException:
        _report()
        return None
    finally:
        _in_callback = False
        if queue:
            drain_ticks()


def deliver(synchronous: bool, fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` for a Deferred callback: on the next tick when the Deferred fired
    *synchronously*, inside the user's ``listen()``/``connect()`` (Node never emits from
    inside the call), else at once through :func:`dispatch`."""
    if synchronous:
        next_tick(fn, *args)
    else:
        dispatch(fn, *args)


def in_user_call() -> bool:
    """Whether a :class:`user_call` block is running: an event-loop callback that arrives now
    came synchronously from inside the user's own call (a synchronous endpoint...), and
    what it emits must wait for a later tick, as Node never emits from inside the call."""
    return _user_calls > 0


class user_call:
    """Around a call into the event loop made from user code (``listen()``, ``connect()``...)
    whose callbacks may fire synchronously: what they queue waits for the next turn of the
    reactor instead of running inside the user's call, so a listener attached right after it
    still hears every event (Node emits them asynchronously). (A class rather than a
    ``@contextmanager``: it runs on every socket's close, and costs a third as much.)"""

    __slots__ = ("outer",)

    def __enter__(self) -> None:
        global _in_callback, _user_calls
        self.outer = _in_callback
        _in_callback = True
        _user_calls += 1

    def __exit__(self, *exc: object) -> None:
        global _in_callback, _user_calls, _wake_requested
        _user_calls -= 1
        outer = _in_callback = self.outer
        if not outer and queue and not _wake_requested and not _draining:
            _wake_requested = True
            _waker.request()


def entry(fn: Callable[_P, _R]) -> Callable[_P, _R | None]:
    """Decorate a function that the event loop calls into twnet so that it runs through
    :func:`dispatch`."""

    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R | None:
        return dispatch(lambda: fn(*args, **kwargs))

    wrapper.__name__ = getattr(fn, "__name__", "entry")
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


def report_current() -> None:
    """Report the exception being handled as uncaught (call it in an ``except`` block): the
    runtime's reporter, Node's ``uncaughtException``."""
    _report()


def run_callback(fn: Callable[..., Any], *args: Any) -> None:
    """Call a user's callback (a ``write()`` or ``end()`` callback...) from inside twnet's
    own machinery, with forgiving arity (:mod:`twnet._callables`): an exception it raises
    is reported as uncaught (:func:`report_current`) and goes no further, so that what
    twnet was doing (the next callbacks, ``'finish'``, closing) still happens. A coroutine
    or Deferred it returns is run, its failure reported the same way."""
    try:
        _callables.call(fn, *args)
    except BaseException:
        _report()


def callback_failed(fn: Callable[..., Any], args: tuple[Any, ...], error: BaseException) -> Any:
    """For a caller that inlines :func:`run_callback` (in its ``except`` block, where
    ``fn(*args)`` raised *error*): call *fn* again with fitted arguments when *error* only
    says it takes others (:func:`twnet._callables.refit`) and return its result; else
    report *error* as uncaught and return ``None``."""
    fitted = _callables.refit(fn, args, error)
    if fitted is None:
        _report()
        return None
    try:
        return fn(*fitted[0], **fitted[1])
    except BaseException as second:
        if second.__context__ is error:
            second.__context__ = None  # not "during handling of" the binding error
        _report()
        return None
