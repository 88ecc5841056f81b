"""Helpers for testing code that uses twnet, with pytest (and pytest-twisted) or trial.

Load it as a pytest plugin (``-p twnet.testing`` or ``pytest_plugins = ["twnet.testing"]``) to
get the :func:`twnet_reactor_clean` fixture: it does for a pytest test what trial's janitor
does for a trial test (pytest-twisted checks nothing): the test fails if it left a pending
DelayedCall or an open port or connection on the reactor, or if an exception escaped a
listener (twnet logs those as failures through :mod:`twisted.logger`). Use it with
``@pytest.mark.usefixtures("twnet_reactor_clean")`` or make it ``autouse`` in a
``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from twisted.logger import ILogObserver, LogEvent, globalLogPublisher
from twisted.python.failure import Failure
from zope.interface import provider

from twnet import _runtime

__all__ = ["ReactorNotClean", "capture_failures", "reactor_leftovers", "twnet_reactor_clean"]


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
