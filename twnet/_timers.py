"""Node's timers on Twisted's ``IReactorTime``: ``setTimeout``, ``setInterval``,
``setImmediate`` and their ``clear*``.

How Node's event loop maps onto a reactor:

* **Timers.** Each reactor has one :class:`_Scheduler` holding every pending
  :class:`Timeout` in a heap ordered by expiry time, then by the order the timers were set
  (or refreshed); one ``DelayedCall`` waits for the earliest. When it runs, every timer due
  *at that moment* fires in that order, each through the runtime's :func:`dispatch` so the
  ``nextTick`` queue drains after each callback, as Node drains it between timers. A timer
  set by one of those callbacks is due at least 1 ms later, so it never runs in the same
  pass (Node's rule too).
* **Immediates** run after the reactor's I/O callbacks and before its next timers: on a
  reactor with ``callFromThread`` (every real one) they go through its thread-call queue,
  which ``runUntilCurrent`` empties before the timed calls; on a bare ``IReactorTime``
  (a ``Clock``) through ``callLater(0)``. Each batch runs the immediates queued before it
  started; those they queue wait for the next batch, as in Node's check phase.
* **Pending I/O completions** (libuv's pending phase, which since libuv 1.45 runs right
  after the poll phase and before the check phase): :func:`call_pending` queues a
  completion twnet finishes on the loop's behalf (a half-close of a socket with nothing
  left to write: ``uv_shutdown`` completes this way). They go through the same queue as
  immediates, and every batch of immediates first runs the completions queued before it, so
  an ``end()`` callback comes before an immediate set earlier in the same callback, as in
  Node.
* **Liveness.** A ref'd, pending Timeout or Immediate holds the run (:func:`hold`), which is
  what keeps ``twnet.run()`` going; the scheduler's own ``DelayedCall`` never does.
* **Clamping.** A delay below 1, NaN, or above 2**31-1 ms becomes 1 ms. Node 24 warns
  ``TimeoutOverflowWarning`` for too large a delay (each time), ``TimeoutNegativeWarning``
  for a negative one and ``TimeoutNaNWarning`` for NaN (once per process each); twnet issues
  the same texts as Python warnings of the classes below.
"""

from __future__ import annotations

import heapq
import itertools
import warnings
import weakref
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from twisted.internet.interfaces import IReactorThreads

from twnet._callables import settle
from twnet._clock import Timer
from twnet._naming import add_snake_twins
from twnet._runtime import (
    dispatch,
    get_reactor,
    hold,
    release,
    run_ending,
)
from twnet._validators import (
    TIMEOUT_MAX,
    TimeoutNaNWarning,
    TimeoutNegativeWarning,
    TimeoutOverflowWarning,
    js_number,
    to_number,
    validate_function,
)

__all__ = [
    "TIMEOUT_MAX",
    "Immediate",
    "Timeout",
    "TimeoutNaNWarning",
    "TimeoutNegativeWarning",
    "TimeoutOverflowWarning",
    "clearImmediate",
    "clearInterval",
    "clearTimeout",
    "setImmediate",
    "setInterval",
    "setTimeout",
]


_warned_negative = False
_warned_nan = False
_ids = itertools.count(2)  # Node's async ids: what a Timeout converts to with int()
_known: dict[int, Timeout] = {}  # timers whose id was asked for: clearTimeout(id) works


def clamp_delay(after: Any) -> float:
    """Node's delay coercion: a delay below 1, NaN or above :data:`TIMEOUT_MAX` is 1 ms,
    with Node's warning (see the module's docstring). ``None`` (Node's omitted delay) is
    1 ms without a warning."""
    global _warned_negative, _warned_nan
    if after is None:
        return 1.0
    ms = to_number(after)
    if 1 <= ms <= TIMEOUT_MAX:
        return ms
    if ms > TIMEOUT_MAX:
        warnings.warn(
            TimeoutOverflowWarning(
                f"{js_number(ms)} does not fit into a 32-bit signed integer.\n"
                "Timeout duration was set to 1."
            ),
            stacklevel=4,
        )
    elif ms < 0 and not _warned_negative:
        _warned_negative = True
        warnings.warn(
            TimeoutNegativeWarning(
                f"{js_number(ms)} is a negative number.\nTimeout duration was set to 1."
            ),
            stacklevel=4,
        )
    elif ms != ms and not _warned_nan:
        _warned_nan = True
        warnings.warn(
            TimeoutNaNWarning("NaN is not a number.\nTimeout duration was set to 1."),
            stacklevel=4,
        )
    return 1.0


def _validate_callback(callback: Any) -> None:
    validate_function(callback, "callback")


# -- the per-reactor scheduler ------------------------------------------------------------

# Float noise: a Clock advanced by 0.009 then 0.001 s is not quite at 0.01 s, and at epoch
# times one float second has steps of ~2e-7 s. The DelayedCall is set this much early, and a
# timer counts as due when its expiry is at most _SLACK after the reactor's time, which is
# more than the early start plus rounding: a call that fires always finds its timer due.
_EARLY = 1e-6  # s
_SLACK = 1e-5  # s


class _Scheduler:
    """The timers and immediates of one reactor."""

    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor
        self.heap: list[tuple[float, int, Timeout]] = []
        # One reactor call for all the timers, unref'd: each Timeout holds the run itself.
        self.timer = Timer(reactor, self._fire, ref=False)
        self.immediates: deque[Immediate] = deque()
        self.immediates_scheduled = False
        self.pending: deque[PendingCall] = deque()
        self.pending_scheduled = False
        self.threaded = IReactorThreads.providedBy(reactor)
        self.seq = itertools.count()

    def now(self) -> float:
        return float(self.reactor.seconds()) * 1000

    # timers

    def insert(self, timer: Timeout, start: float) -> None:
        timer._expiry = start + timer._idleTimeout
        timer._seq = next(self.seq)
        heapq.heappush(self.heap, (timer._expiry, timer._seq, timer))
        self._arm()

    def _arm(self) -> None:
        """Make the reactor call wait for the earliest live timer."""
        heap = self.heap
        while heap and heap[0][2]._seq != heap[0][1]:
            heapq.heappop(heap)  # refreshed or cleared since it was pushed
        if not heap:
            self.timer.cancel()
            return
        at = heap[0][0] / 1000 - _EARLY
        when = self.timer.when()
        if when is not None:
            if abs(when - at) < 1e-9:
                return
            if when < at:
                return  # it fires earlier, finds nothing due, and re-arms
        self.timer.start(max(0.0, at - float(self.reactor.seconds())))

    def _fire(self) -> None:
        now = self.now()
        due = now + _SLACK * 1000
        heap = self.heap
        while heap and heap[0][0] <= due:
            _expiry, seq, timer = heapq.heappop(heap)
            if timer._seq != seq:
                continue
            timer._seq = -1
            timer._run(now)
        self._arm()

    # immediates

    def add_immediate(self, immediate: Immediate) -> None:
        self.immediates.append(immediate)
        if not self.immediates_scheduled:
            self.immediates_scheduled = True
            self._soon(self._run_immediates)

    def _soon(self, fn: Callable[[], None]) -> None:
        """Run *fn* on the next turn, before the reactor's timed calls where it can."""
        if self.threaded:
            self.reactor.callFromThread(fn)
        else:
            self.reactor.callLater(0, fn)

    # pending completions (libuv's pending phase)

    def add_pending(self, call: PendingCall) -> None:
        self.pending.append(call)
        if not self.pending_scheduled:
            self.pending_scheduled = True
            # A timed call, not the thread-call queue (whose wake-up costs a syscall): a batch
            # of immediates that runs first runs these before itself.
            self.reactor.callLater(0, self._pending_turn)

    def _pending_turn(self) -> None:
        self.pending_scheduled = False
        self._run_pending()

    def _run_pending(self) -> None:
        batch, self.pending = self.pending, deque()
        while batch:
            batch.popleft()._run()

    def _run_immediates(self) -> None:
        self.immediates_scheduled = False
        if self.pending:
            self._run_pending()  # libuv runs the pending queue before the check phase
        if run_ending():
            return  # Node's loop ended before its check phase: unref'd immediates never run
        batch, self.immediates = self.immediates, deque()
        while batch:
            immediate = batch.popleft()
            if not immediate._destroyed:
                immediate._run()
        if self.immediates and not self.immediates_scheduled:
            # Queued by the batch: the next turn of the reactor runs them.
            self.immediates_scheduled = True
            self._soon(self._run_immediates)


class PendingCall:
    """A completion queued by :func:`call_pending`: ``active()`` until it runs or is
    cancelled, ``cancel()`` to drop it (a no-op once it ran)."""

    __slots__ = ("_args", "_fn")

    def __init__(self, fn: Callable[..., object], args: tuple[Any, ...]) -> None:
        self._fn: Callable[..., object] | None = fn
        self._args = args

    def active(self) -> bool:
        return self._fn is not None

    def cancel(self) -> None:
        self._fn = None
        self._args = ()

    def _run(self) -> None:
        fn, args = self._fn, self._args
        if fn is not None:
            self.cancel()
            fn(*args)


def call_pending(reactor: Any, fn: Callable[..., object], *args: Any) -> PendingCall:
    """Run ``fn(*args)`` as libuv runs an I/O completion it made itself (its pending phase):
    on the next turn of *reactor*, before the immediates set so far. While it waits it is
    ``active()``, and ``cancel()`` drops it."""
    call = PendingCall(fn, args)
    scheduler(reactor).add_pending(call)
    return call


_schedulers: weakref.WeakKeyDictionary[Any, _Scheduler] = weakref.WeakKeyDictionary()


def scheduler(reactor: Any = None) -> _Scheduler:
    """The scheduler of *reactor* (the global reactor by default)."""
    reactor = get_reactor(reactor)
    found = _schedulers.get(reactor)
    if found is None:
        found = _schedulers[reactor] = _Scheduler(reactor)
    return found


# -- Timeout ------------------------------------------------------------------------------


class _Handle:
    """What Node's ``Timeout`` and ``Immediate`` share: ``ref()`` / ``unref()`` / ``hasRef()``
    decide whether the pending callback keeps ``twnet.run()`` alive (Node's process)."""

    __slots__ = ("__weakref__", "_args", "_destroyed", "_holding", "_refed")
    _args: tuple[Any, ...]
    _destroyed: bool
    _holding: bool
    _refed: bool

    def ref(self: _H) -> _H:
        """Keep ``twnet.run()`` alive while pending (the default)."""
        if not self._refed:
            self._refed = True
            if not self._destroyed:
                hold(self)
        return self

    def unref(self: _H) -> _H:
        """Stop it from keeping ``twnet.run()`` alive; it still runs if the run goes on for
        other reasons."""
        if self._refed:
            self._refed = False
            release(self)
        return self

    def hasRef(self) -> bool:
        """Whether it is ref'd."""
        return self._refed

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        has_ref = hasRef


_H = TypeVar("_H", bound=_Handle)


class Timeout(_Handle):
    """Node's ``Timeout``, returned by :func:`setTimeout` and :func:`setInterval`.

    ``ref()`` / ``unref()`` decide whether the pending timer keeps ``twnet.run()`` alive
    (Node's process); ``refresh()`` restarts its delay from now (and re-arms a timeout that
    already fired, as Node does); ``close()`` cancels it. ``int(timeout)`` is Node's
    ``+timeout``: a number that ``clearTimeout`` also accepts. ``with setTimeout(...):``
    clears the timer when the block ends (Node's ``Symbol.dispose``).
    """

    __slots__ = (
        "_expiry",
        "_id",
        "_idleTimeout",
        "_onTimeout",
        "_repeat",
        "_scheduler",
        "_seq",
    )

    def __init__(
        self,
        callback: Callable[..., Any],
        after: Any,
        args: tuple[Any, ...],
        repeat: bool,
        refed: bool,
        reactor: Any = None,
    ) -> None:
        ms = clamp_delay(after)
        self._scheduler = scheduler(reactor)
        self._onTimeout: Callable[..., Any] | None = callback
        self._args = args
        self._idleTimeout = ms
        self._repeat: float | None = ms if repeat else None
        self._destroyed = False
        self._refed = refed
        self._holding = False
        self._expiry = 0.0
        self._seq = -1
        self._id = next(_ids)
        if refed:
            hold(self)
        self._scheduler.insert(self, self._scheduler.now())

    def _run(self, now: float) -> None:
        callback = self._onTimeout
        if callback is None:
            self._destroy()
            return
        start = self._scheduler.now() if self._repeat is not None else now
        try:
            result = dispatch(callback, *self._args)
            if result is not None:  # an async def callback: run it (never dropped)
                settle(result)
        finally:
            if self._repeat is not None and self._idleTimeout != -1:
                self._idleTimeout = self._repeat
                self._scheduler.insert(self, start)
            elif self._seq == -1:  # not refreshed by its own callback
                self._destroy()

    def _destroy(self) -> None:
        if not self._destroyed:
            self._destroyed = True
            _known.pop(self._id, None)
            release(self)

    def refresh(self) -> Timeout:
        """Restart the timer's delay from now, keeping its callback; a timer that already
        fired is re-armed (a cleared one is not). Returns the timer."""
        if self._idleTimeout < 0:
            return self
        self._scheduler.insert(self, self._scheduler.now())
        if self._destroyed:
            self._destroyed = False
            if self._refed:
                hold(self)
        return self

    def close(self) -> Timeout:
        """Cancel the timer (``clearTimeout(self)``); returns it."""
        clearTimeout(self)
        return self

    def __index__(self) -> int:
        # Node's Symbol.toPrimitive: the id, which clearTimeout then also accepts.
        if not self._destroyed:
            _known[self._id] = self
        return self._id

    __int__ = __index__

    def __enter__(self) -> Timeout:
        return self

    def __exit__(self, *exc: object) -> None:
        clearTimeout(self)

    def __repr__(self) -> str:
        kind = "interval" if self._repeat is not None else "timeout"
        state = "cleared" if self._destroyed else f"{js_number(self._idleTimeout)} ms"
        return f"<Timeout {kind} {state}{'' if self._refed else ' unref'}>"


def _unenroll(timer: Timeout) -> None:
    timer._onTimeout = None
    timer._seq = -1  # its heap entry is now stale
    timer._idleTimeout = -1
    timer._destroy()
    timer._scheduler._arm()


def setTimeout(
    callback: Callable[..., object], ms: float | None = None, *args: Any, reactor: Any = None
) -> Timeout:
    """Node's ``setTimeout(callback[, delay[, ...args]])``: call ``callback(*args)`` once,
    *delay* milliseconds from now (clamped as the module's docstring says). Raises
    ``ERR_INVALID_ARG_TYPE`` when *callback* is not callable. *reactor*: any
    ``IReactorTime`` (a ``Clock`` in tests)."""
    _validate_callback(callback)
    return Timeout(callback, ms, args, False, True, reactor)


def setInterval(
    callback: Callable[..., object], ms: float | None = None, *args: Any, reactor: Any = None
) -> Timeout:
    """Node's ``setInterval(callback[, delay[, ...args]])``: call ``callback(*args)`` every
    *delay* milliseconds, each period counted from when the previous call started."""
    _validate_callback(callback)
    return Timeout(callback, ms, args, True, True, reactor)


def clearTimeout(timer: Timeout | int | str | None) -> None:
    """Cancel a :class:`Timeout` (from ``setTimeout`` or ``setInterval``), or the timer whose
    ``int()`` id this is. Anything else (``None``, an Immediate, a stale id) is ignored, as
    in Node."""
    if isinstance(timer, Timeout):
        if timer._onTimeout is not None or not timer._destroyed:
            _unenroll(timer)
        return
    if isinstance(timer, (int, str)) and not isinstance(timer, bool):
        try:
            known = _known.get(int(timer))
        except ValueError:
            return
        if known is not None:
            _unenroll(known)


clearInterval = clearTimeout


# -- Immediate ----------------------------------------------------------------------------


class Immediate(_Handle):
    """Node's ``Immediate``, returned by :func:`setImmediate`: ``ref()``, ``unref()``,
    ``hasRef()``; ``with setImmediate(...):`` clears it when the block ends."""

    __slots__ = ("_onImmediate",)

    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...], reactor: Any) -> None:
        self._onImmediate: Callable[..., Any] | None = callback
        self._args = args
        self._destroyed = False
        self._refed = True
        self._holding = False
        hold(self)
        scheduler(reactor).add_immediate(self)

    def _run(self) -> None:
        callback = self._onImmediate
        self._destroyed = True
        self._onImmediate = None
        release(self)
        if callback is not None:
            result = dispatch(callback, *self._args)
            if result is not None:  # an async def callback: run it (never dropped)
                settle(result)

    def __enter__(self) -> Immediate:
        return self

    def __exit__(self, *exc: object) -> None:
        clearImmediate(self)

    def __repr__(self) -> str:
        state = "done" if self._destroyed else "pending"
        return f"<Immediate {state}{'' if self._refed else ' unref'}>"


def setImmediate(callback: Callable[..., object], *args: Any, reactor: Any = None) -> Immediate:
    """Node's ``setImmediate(callback[, ...args])``: call ``callback(*args)`` after the
    reactor's pending I/O callbacks, before its next timers."""
    _validate_callback(callback)
    return Immediate(callback, args, reactor)


def clearImmediate(immediate: Immediate | None) -> None:
    """Cancel an :class:`Immediate`; anything else (``None``, a Timeout) is ignored."""
    if isinstance(immediate, Immediate) and not immediate._destroyed:
        immediate._destroyed = True
        immediate._onImmediate = None
        release(immediate)


add_snake_twins(_Handle)
add_snake_twins(Timeout)
add_snake_twins(Immediate)
