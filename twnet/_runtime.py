"""How twnet runs on a reactor the way Node runs on its event loop.

* The nextTick queue and the calls into user code are :mod:`twnet._ticks` (no Twisted; the
  names are re-exported here): this module installs its two event-loop parts, the
  reporter below and a waker that drains ticks queued outside any callback with a
  ``callLater(0)`` on the reactor.
* An exception that escapes user code is never swallowed: :func:`report_uncaught` logs it as
  a failure through :mod:`twisted.logger` (trial and pytest-twisted with twnet's plugin then
  fail the test) and, under :func:`run`, ends the run and is re-raised from ``run()``.
* Liveness is :mod:`twnet._liveness` (re-exported here): Server and Socket
  :func:`hold` / :func:`release` themselves while ref'd; under :func:`run` the reactor stops
  once nothing ref'd, no tick and no pending timer of the program is left — Node's "the
  process exits when the loop is empty".
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from types import CoroutineType
from typing import Any

from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IDelayedCall, IReactorCore
from twisted.logger import ILogObserver, LogEvent, Logger, globalLogPublisher
from twisted.python.failure import Failure
from zope.interface import provider

from twnet import _callables
from twnet._liveness import (
    alive,
    all_held_quiet,
    forget_timer,
    hold,
    is_held,
    release,
    set_quiet,
    unref_timer,
)
from twnet._ticks import (
    callback_failed,
    deliver,
    dispatch,
    drain_ticks,
    entry,
    in_user_call,
    install,
    next_tick,
    report_current,
    run_callback,
    set_exiting,
    user_call,
    wake_up,
)
from twnet._ticks import queue as _ticks

__all__ = [
    "callback_failed",
    "deliver",
    "dispatch",
    "drain_ticks",
    "entry",
    "forget_timer",
    "get_reactor",
    "hold",
    "in_user_call",
    "is_held",
    "next_tick",
    "release",
    "report_current",
    "report_uncaught",
    "run",
    "run_callback",
    "run_ending",
    "set_quiet",
    "tick_reactor",
    "unref_timer",
    "user_call",
]

_log = Logger(namespace="twnet")

_tick_call: IDelayedCall | None = None  # the waker's pending request


_global_reactor: Any = None


def get_reactor(reactor: Any = None) -> Any:
    """*reactor*, or Twisted's global reactor when it is ``None`` (imported on first use, so
    that importing twnet installs no reactor)."""
    global _global_reactor
    if reactor is not None:
        return reactor
    if _global_reactor is None:
        from twisted.internet import reactor as global_reactor

        _global_reactor = global_reactor
    return _global_reactor


def tick_reactor(reactor: Any = None) -> Any:
    """The reactor that runs twnet's ticks: *reactor* when it really runs (its class
    implements ``IReactorCore``), else the global reactor. A test that passes a reactor whose
    time is a :class:`~twisted.internet.task.Clock` keeps its timers on the clock while ticks
    run. The class is asked, not the object: a wrapper that forwards unknown attributes to a
    real reactor also forwards ``__providedBy__``, and would pass for one while its
    ``callLater`` is a Clock's."""
    if reactor is not None and IReactorCore.implementedBy(type(reactor)):
        return reactor
    return get_reactor(None)


class _ReactorWaker:
    """The :class:`twnet._ticks.Waker` on the reactor: a ``callLater(0)`` on the tick reactor
    runs the ticks queued outside any callback."""

    def request(self) -> None:
        global _tick_call
        _tick_call = tick_reactor(None).callLater(0, _tick_from_reactor)

    def cancel(self) -> None:
        global _tick_call
        if _tick_call is not None and _tick_call.active():
            _tick_call.cancel()
        _tick_call = None


def _tick_from_reactor() -> None:
    global _tick_call
    _tick_call = None
    wake_up()


def _report_current() -> None:
    report_uncaught(Failure())


def _current_failure() -> Failure:
    return Failure()


# -- uncaught exceptions --------------------------------------------------------------------


class _RunState:
    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor
        self.failure: Failure | None = None
        self.stopping = False
        self.started = False


_run_state: _RunState | None = None


def report_uncaught(failure: Failure) -> None:
    """An exception escaped a listener or callback: Node's ``uncaughtException``.

    Under :func:`run` the first one ends the run and is re-raised from ``run()``; otherwise it
    is logged as a failure through :mod:`twisted.logger` and the reactor goes on.
    """
    state = _run_state
    if state is not None and state.started:
        if state.failure is None:
            state.failure = failure
        _stop(state)
        return
    _log.failure("Uncaught exception in twnet callback", failure)


def _after_callback() -> None:
    state = _run_state
    if state is None or not state.started or state.stopping:
        return
    if not alive(state.reactor):
        _stop(state)


def run_ending() -> bool:
    """Whether :func:`run` has decided to stop (Node's loop found nothing ref'd): callbacks
    queued for the next turn, such as unref'd immediates, must not run any more."""
    return _run_state is not None and _run_state.stopping


def _stop(state: _RunState) -> None:
    if state.stopping:
        return
    state.stopping = True
    state.reactor.callFromThread(state.reactor.stop)


# -- coroutine listeners and callbacks ------------------------------------------------------


def as_deferred_type(result: Any) -> bool:
    """Whether *result* is a coroutine or a Deferred (without starting the coroutine)."""
    return isinstance(result, Deferred | CoroutineType | Coroutine)


def as_deferred(result: Any) -> Deferred[Any] | None:
    """*result* as a Deferred when it is a coroutine (started now, running until its first
    ``await``: :meth:`Deferred.fromCoroutine`) or a Deferred; ``None`` for anything else."""
    if isinstance(result, Deferred):
        return result
    if isinstance(result, CoroutineType | Coroutine):
        return Deferred.fromCoroutine(result)
    return None


def settle(result: Any, emitter: Any, name: Any, args: tuple[Any, ...]) -> None:
    """:data:`twnet._callables.settle_hook`: run or watch a coroutine or Deferred that a
    listener or callback returned. Its failure goes, after the ticks already queued (Node's
    promise reaction, then ``process.nextTick``), to *emitter*'s rejection handling
    (:func:`twnet._events.handle_rejection`, Node's ``captureRejections``) when *emitter* is
    given, else to :func:`report_uncaught`, as Node treats an unhandled rejection."""
    deferred = as_deferred(result)
    if deferred is None:
        return

    def failed(failure: Failure) -> None:
        if emitter is None:
            report_uncaught(failure)
        else:
            from twnet._events import handle_rejection

            # Node: a promise reaction (after the ticks queued so far), then a tick.
            next_tick(next_tick, handle_rejection, emitter, failure.value, name, args)

    deferred.addErrback(failed)


_callables.settle_hook = settle


def run(
    main: Callable[[], object] | Coroutine[Any, Any, object] | Deferred[Any] | None = None,
    *,
    reactor: IReactorCore | None = None,
) -> None:
    """Run the reactor the way a Node process runs.

    Starts *reactor* (the global one by default), calls ``main()`` once it runs (an
    ``async def main`` runs as a coroutine: :meth:`Deferred.fromCoroutine`; *main* may also
    be a coroutine already made, ``run(main())``, or a Deferred), and stops
    the reactor and returns when nothing ref'd is left: no listening server, no connecting
    socket, no open socket that reads or has a write, shutdown or close under way (a paused
    one with nothing to write does not count, as in Node), no queued tick and no pending
    timer (``reactor.callLater``) except the unref'd ones twnet makes. An exception that
    escapes ``main`` (its coroutine too) or a listener ends the run and is re-raised here.
    As in Node, a coroutine still waiting for something that no socket, server or timer can
    bring does not keep the run alive. A reactor cannot be restarted: call this once per
    process.
    """
    global _run_state
    if _run_state is not None:
        raise RuntimeError("twnet.run() is already running")
    if main is not None and not callable(main) and not as_deferred_type(main):
        from twnet._errors import invalid_arg_type

        raise invalid_arg_type("main", "function", main)
    loop: Any = get_reactor(reactor)  # a ReactorBase: runUntilCurrent is patched
    state = _RunState(loop)
    _run_state = state
    original = loop.runUntilCurrent

    def run_until_current() -> None:
        original()
        if not _ticks and all_held_quiet():
            _after_callback()

    def start() -> None:
        state.started = True
        if main is not None:
            try:
                result = main() if callable(main) else main
                if result is not None:
                    settle(result, None, None, ())
            except BaseException:
                report_uncaught(_current_failure())
        if _ticks:
            drain_ticks()
        _after_callback()

    @provider(ILogObserver)
    def on_log(event: LogEvent) -> None:
        # A timer callback or a Deferred that failed: Twisted only logs those. Under run()
        # they end the run, as an uncaught exception ends a Node process.
        failure = event.get("log_failure")
        if failure is not None and state.started and event.get("log_namespace") != "twnet":
            if state.failure is None:
                state.failure = failure
            _stop(state)

    def exiting() -> None:
        set_exiting(True)

    loop.runUntilCurrent = run_until_current
    globalLogPublisher.addObserver(on_log)
    loop.addSystemEventTrigger("before", "shutdown", exiting)
    try:
        loop.callWhenRunning(start)
        loop.run(installSignalHandlers=True)
    finally:
        set_exiting(False)
        _ticks.clear()
        globalLogPublisher.removeObserver(on_log)
        try:
            del loop.runUntilCurrent
        except AttributeError:
            loop.runUntilCurrent = original
        _run_state = None
    if state.failure is not None:
        state.failure.raiseException()


install(_report_current, _ReactorWaker())
