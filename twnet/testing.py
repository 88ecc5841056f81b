"""Helpers for testing code that uses twnet, with pytest (and pytest-twisted) or trial.

Load it as a pytest plugin (``-p twnet.testing`` or ``pytest_plugins = ["twnet.testing"]``) to
get the :func:`twnet_reactor_clean` fixture: it does for a pytest test what trial's janitor
does for a trial test (pytest-twisted checks nothing): the test fails if it left a pending
DelayedCall or an open port or connection on the reactor, or if an exception escaped a
listener (twnet logs those as failures through :mod:`twisted.logger`). Use it with
``@pytest.mark.usefixtures("twnet_reactor_clean")`` or make it ``autouse`` in a
``conftest.py``.

For logic that needs no network, :func:`socketPair` gives two Sockets connected in memory,
driven by a :class:`~twisted.internet.task.Clock` (:func:`settle` runs what is ready), and
:func:`record` logs the events an emitter emits.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from twisted.logger import ILogObserver, LogEvent, globalLogPublisher
from twisted.python.failure import Failure
from zope.interface import provider

from twnet import _runtime
from twnet._memory_handle import memory_pair
from twnet._naming import module_twins
from twnet._socket import Socket

__all__ = [
    "ReactorNotClean",
    "capture_failures",
    "reactor_leftovers",
    "record",
    "settle",
    "socketPair",
    "twnet_reactor_clean",
]


class ReactorNotClean(AssertionError):
    """The test left DelayedCalls or selectables on the reactor."""


def _selectables(reactor: Any) -> set[Any]:
    found: set[Any] = set()
    for name in ("getReaders", "getWriters"):
        getter = getattr(reactor, name, None)
        if getter is not None:
            found.update(getter())
    # The reactor's own readers (its waker, the SIGCHLD waker it adds when it first runs)
    # are not the test's: trial's janitor spares them too (IReactorFDSet.removeAll).
    return found - set(getattr(reactor, "_internalReaders", ()))


def reactor_leftovers(reactor: Any, baseline: set[Any]) -> list[str]:
    """Describe what is left on *reactor* beyond *baseline* (selectables present before):
    pending DelayedCalls and selectables. Empty when clean."""
    problems = [f"pending call: {call}" for call in reactor.getDelayedCalls() if call.active()]
    problems += [f"open selectable: {s!r}" for s in _selectables(reactor) - baseline]
    return problems


# The lists of the active capture_failures blocks, innermost last.
_capturing: list[list[Failure]] = []


@contextmanager
def capture_failures() -> Iterator[list[Failure]]:
    """Collect the failures logged through :mod:`twisted.logger` inside the block.

    Blocks nest: a failure goes to the innermost block only, so a test that expects a failure
    and captures it is not failed by :func:`twnet_reactor_clean`'s own (outer) capture.
    """
    failures: list[Failure] = []

    @provider(ILogObserver)
    def observer(event: LogEvent) -> None:
        failure = event.get("log_failure")
        if failure is not None and _capturing[-1] is failures:
            failures.append(failure)

    _capturing.append(failures)
    globalLogPublisher.addObserver(observer)
    try:
        yield failures
    finally:
        globalLogPublisher.removeObserver(observer)
        _capturing.remove(failures)


@pytest.fixture
def twnet_reactor_clean() -> Generator[None, None, None]:
    """Fail the test if it leaves the global reactor dirty or an exception escaped a
    listener. Runs queued twnet ticks first, as a turn of the reactor would."""
    reactor = _runtime.get_reactor()
    baseline = _selectables(reactor)
    with capture_failures() as failures:
        yield
        _runtime.drain_ticks()
    if failures:
        first = failures[0]
        raise AssertionError(
            f"{len(failures)} uncaught exception(s) in twnet callbacks; first:\n"
            + first.getTraceback()
        )
    leftovers = reactor_leftovers(reactor, baseline)
    if leftovers:
        for call in reactor.getDelayedCalls():
            call.cancel()
        raise ReactorNotClean("reactor left unclean:\n  " + "\n  ".join(leftovers))


# -- in-memory sockets --------------------------------------------------------------------------


def socketPair(
    options: dict[str, Any] | None = None, /, *, reactor: Any = None
) -> tuple[Socket, Socket]:
    """Two :class:`~twnet.Socket` s connected to each other in memory: what one writes the
    other reads, with no network, no descriptor and no port. For testing code that speaks a
    protocol over a socket, and the socket's own logic (events, half-close, back-pressure,
    timeouts), deterministically.

    Both sockets are connected when this returns, as a server's accepted socket is: there is
    no ``'connect'`` event. *options* (``allowHalfOpen``, ``highWaterMark``, ``encoding``...)
    go to both sockets' constructors.

    *reactor* gives the turns and the time: pass a :class:`~twisted.internet.task.Clock` and
    nothing happens until the test moves it (:func:`settle` runs everything ready now,
    ``clock.advance(seconds)`` moves time, for ``setTimeout``); with None, the global reactor
    (the sockets then work in a running reactor, under pytest-twisted or trial).

    The connection behaves as a loopback TCP connection does, as far as a socket can see:
    data arrives on a later turn, in order, in reads of at most 64 KiB; ``end()`` is a FIN that
    arrives after the data; ``destroy()`` sends what was written, then a FIN;
    ``resetAndDestroy()`` resets the peer (``ECONNRESET``); bytes written to a socket that was
    destroyed reset the writer; a writer whose peer does not read is held back after 64 KiB
    (``write()`` returns False, ``'drain'`` follows once the peer read everything). What is not
    there: addresses (``address()`` is ``{}``, ``remoteAddress`` None), socket options (they
    are accepted and do nothing) and ``'lookup'``/``'connect'`` events.

    The sockets do not keep :func:`twnet.run` alive, as Node's ``stream.duplexPair`` does not.
    """
    loop = _runtime.get_reactor(reactor)
    first = Socket(options, reactor=loop)
    second = Socket(options, reactor=loop)
    first_handle, second_handle = memory_pair(loop, first, second)
    first.on_connect(first_handle)
    second.on_connect(second_handle)
    return first, second


def settle(clock: Any, limit: int = 10_000) -> None:
    """Run everything that is ready now: twnet's queued ticks (``nextTick``) and the calls due
    on *clock* (a :class:`~twisted.internet.task.Clock`), again and again until nothing is
    left without moving time. Raises ``RuntimeError`` after *limit* rounds of ticks and clock
    calls scheduling each other without end. (A call that schedules itself on the clock
    with no delay never lets ``Clock.advance`` return, settle or not.)"""
    for _ in range(limit):
        _runtime.drain_ticks()
        now = clock.seconds()
        if not any(call.getTime() <= now for call in clock.getDelayedCalls()):
            return
        clock.advance(0)
    raise RuntimeError(f"still not settled after {limit} rounds")


def record(
    emitter: Any, *names: str, log: list[tuple[Any, ...]] | None = None
) -> list[tuple[Any, ...]]:
    """Log the events *names* of *emitter* as ``(name, *args)`` tuples, in the order they are
    emitted, into *log* (a new list if None), and return the log. Pass the same *log* for
    several emitters to see how their events interleave::

        log = record(a, "data", "end", "close")
        record(b, "finish", log=log)"""
    entries: list[tuple[Any, ...]] = [] if log is None else log
    for name in names:
        emitter.on(name, lambda *args, _name=name: entries.append((_name, *args)))
    return entries


__all__ += module_twins(globals(), ["socketPair"])

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    socket_pair = socketPair
    __all__ += [
        "socket_pair",
    ]
