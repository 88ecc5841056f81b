"""twnet's runtime: the nextTick queue, ``entry``, ``twnet.once``, ``twnet.run`` and liveness,
and the ``twnet_reactor_clean`` fixture of ``twnet.testing``.

A reactor cannot be restarted, so ``twnet.run()`` is tested in subprocesses, all started at
once (module fixture ``runs``) to keep the suite fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import reactor, task
from twisted.internet.defer import Deferred

import twnet
from tests import _process
from twnet import _liveness, _runtime
from twnet._runtime import drain_ticks, entry, next_tick
from twnet.testing import capture_failures, reactor_leftovers

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [_process.twnet_path(), env.get("PYTHONPATH")])
    )
    return env


# -- next_tick ---------------------------------------------------------------------------------


def test_next_tick_is_public_and_checks_its_callback() -> None:
    assert twnet.next_tick is twnet.nextTick
    for bad in (None, 5, "f"):
        with pytest.raises(TypeError) as raised:
            twnet.nextTick(bad)
        assert raised.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    drain_ticks()  # nothing was queued: nothing to fail here


def test_ticks_run_in_fifo_order_with_their_arguments() -> None:
    seen: list[Any] = []
    next_tick(seen.append, 1)
    twnet.nextTick(seen.append, 2)
    twnet.next_tick(lambda *args: seen.append(args), 3, "four")
    assert seen == []  # not from inside the call
    drain_ticks()
    assert seen == [1, 2, (3, "four")]


def test_ticks_queued_by_ticks_run_in_the_same_drain() -> None:
    seen: list[str] = []

    def first() -> None:
        seen.append("first")
        next_tick(seen.append, "queued by first")

    next_tick(first)
    next_tick(seen.append, "second")
    drain_ticks()
    assert seen == ["first", "second", "queued by first"]


def test_drain_ticks_is_idempotent_and_not_reentrant() -> None:
    seen: list[str] = []

    def draining() -> None:
        seen.append("a")
        next_tick(seen.append, "c")
        drain_ticks()  # inside a drain: returns at once, the outer drain goes on in order
        seen.append("a done")

    next_tick(draining)
    next_tick(seen.append, "b")
    drain_ticks()
    drain_ticks()
    assert seen == ["a", "a done", "b", "c"]
    drain_ticks()
    assert seen == ["a", "a done", "b", "c"]


def test_a_drain_cancels_the_reactor_call_it_no_longer_needs() -> None:
    next_tick(lambda: None)
    assert _runtime._tick_call is not None and _runtime._tick_call.active()
    call = _runtime._tick_call
    drain_ticks()
    assert not call.active()
    assert _runtime._tick_call is None


def test_reactor_leftovers() -> None:
    clock = task.Clock()
    assert reactor_leftovers(clock, set()) == []
    call = clock.callLater(1, lambda: None)
    (problem,) = reactor_leftovers(clock, set())
    assert problem.startswith("pending call: ")
    call.cancel()
    assert reactor_leftovers(clock, set()) == []


def test_an_exception_in_a_tick_is_reported_and_later_ticks_run() -> None:
    seen: list[str] = []

    def bad() -> None:
        raise ZeroDivisionError("in a tick")

    with capture_failures() as failures:
        next_tick(bad)
        next_tick(seen.append, "after")
        drain_ticks()
    assert seen == ["after"]
    assert len(failures) == 1
    assert failures[0].check(ZeroDivisionError)
    assert str(failures[0].value) == "in a tick"


# -- dispatch / entry / report_uncaught -------------------------------------------------------


def test_entry_returns_the_result_and_drains_ticks() -> None:
    seen: list[str] = []

    def callback(x: int) -> int:
        """Twisted calls this."""
        next_tick(seen.append, "tick")
        seen.append("body")
        return x * 2

    wrapped = entry(callback)
    assert wrapped.__name__ == "callback"
    assert wrapped.__doc__ == "Twisted calls this."
    assert wrapped.__wrapped__ is callback  # type: ignore[attr-defined]
    assert wrapped(21) == 42
    assert seen == ["body", "tick"]  # drained before entry returned


def test_entry_reports_an_exception_and_still_drains() -> None:
    seen: list[str] = []

    def callback() -> None:
        next_tick(seen.append, "tick")
        raise KeyError("escaped")

    with capture_failures() as failures:
        assert entry(callback)() is None
    assert seen == ["tick"]
    assert [f.type for f in failures] == [KeyError]


def test_dispatch_reports_an_exception() -> None:
    def user(a: int, b: int) -> int:
        return a // b

    with capture_failures() as failures:
        assert _runtime.dispatch(user, 6, 3) == 2
        assert _runtime.dispatch(user, 1, 0) is None
    assert [f.type for f in failures] == [ZeroDivisionError]


def test_nested_dispatch_drains_once_the_outermost_returns() -> None:
    seen: list[str] = []

    def inner() -> None:
        next_tick(seen.append, "tick")
        seen.append("inner")

    def outer() -> None:
        _runtime.dispatch(inner)
        seen.append("outer")

    _runtime.dispatch(outer)
    assert seen == ["inner", "outer", "tick"]


def test_capture_failures_nest_innermost_first() -> None:
    with capture_failures() as outer:
        with capture_failures() as inner:
            _runtime.dispatch(lambda: 1 / 0)
        _runtime.dispatch(lambda: {}["x"])
    assert [f.type for f in inner] == [ZeroDivisionError]
    assert [f.type for f in outer] == [KeyError]


# -- liveness bookkeeping ----------------------------------------------------------------------


class _Handle:
    pass


def test_hold_and_release() -> None:
    handle = _Handle()
    assert not _runtime.is_held(handle)
    _runtime.hold(handle)
    _runtime.hold(handle)
    assert _runtime.is_held(handle)
    _runtime.release(handle)
    assert not _runtime.is_held(handle)
    _runtime.release(handle)  # releasing twice is harmless


def test_unref_timer_returns_the_call() -> None:
    clock = task.Clock()
    call = clock.callLater(1, lambda: None)
    assert _runtime.unref_timer(call) is call
    assert id(call) in _liveness._unref_timers
    call.cancel()
    _runtime.forget_timer(call)
    _runtime.forget_timer(None)
    assert id(call) not in _liveness._unref_timers


def test_tick_reactor_keeps_a_clock_for_timers_only() -> None:
    clock = task.Clock()
    assert _runtime.get_reactor(clock) is clock
    assert _runtime.get_reactor() is reactor
    assert _runtime.tick_reactor(clock) is reactor  # a Clock cannot run ticks
    assert _runtime.tick_reactor(reactor) is reactor
    # A wrapper taking its time from a Clock and forwarding the rest (including
    # __providedBy__) to the real reactor is no reactor to run ticks on either.
    from tests._sockets import ClockReactor

    assert _runtime.tick_reactor(ClockReactor(clock)) is reactor


# -- with the reactor running (pytest-twisted) -------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_a_tick_from_outside_any_callback_runs_on_the_reactor() -> None:
    done: Deferred[str] = Deferred()
    next_tick(done.callback, "ran")
    assert not done.called
    assert await done == "ran"


@pytest_twisted.inlineCallbacks
def test_ticks_in_a_deferred_test() -> Iterator[Deferred[Any]]:
    seen: list[str] = []
    next_tick(seen.append, "tick")
    yield task.deferLater(reactor, 0, lambda: None)
    assert seen == ["tick"]


@pytest_twisted.ensureDeferred
async def test_once_fires_with_the_argument_list() -> None:
    emitter = twnet.EventEmitter()
    reactor.callLater(0, emitter.emit, "data", b"chunk", 2)  # type: ignore[attr-defined]
    assert await twnet.once(emitter, "data") == [b"chunk", 2]
    assert emitter.listenerCount("data") == 0
    assert emitter.listenerCount("error") == 0


@pytest_twisted.ensureDeferred
async def test_once_with_no_arguments() -> None:
    emitter = twnet.EventEmitter()
    reactor.callLater(0, emitter.emit, "close")  # type: ignore[attr-defined]
    assert await twnet.once(emitter, "close") == []


@pytest_twisted.ensureDeferred
async def test_once_fails_with_the_error_if_error_comes_first() -> None:
    emitter = twnet.EventEmitter()
    error = ConnectionResetError("reset")
    reactor.callLater(0, emitter.emit, "error", error)  # type: ignore[attr-defined]
    with pytest.raises(ConnectionResetError) as info:
        await twnet.once(emitter, "connect")
    assert info.value is error
    assert emitter.listenerCount("connect") == 0
    assert emitter.listenerCount("error") == 0


def test_once_removes_its_listeners_both_ways() -> None:
    emitter = twnet.EventEmitter()
    first = twnet.once(emitter, "x")
    assert emitter.listenerCount("x") == 1 and emitter.listenerCount("error") == 1
    emitter.emit("x", 1)
    assert emitter.listenerCount("x") == 0 and emitter.listenerCount("error") == 0
    results: list[Any] = []
    first.addCallback(results.append)
    assert results == [[1]]

    second = twnet.once(emitter, "x")
    errors: list[Any] = []
    second.addErrback(lambda f: errors.append(f.value))
    error = ValueError("first")
    emitter.emit("error", error)
    assert errors == [error]
    assert emitter.listenerCount("x") == 0 and emitter.listenerCount("error") == 0
    assert emitter.emit("x", 2) is False


def test_once_error_resolves_with_the_error() -> None:
    emitter = twnet.EventEmitter()
    d = twnet.once(emitter, "error")
    assert emitter.listenerCount("error") == 1
    error = OSError("x")
    emitter.emit("error", error)
    results: list[Any] = []
    d.addCallback(results.append)
    assert results == [[error]]
    assert emitter.listenerCount("error") == 0


def test_once_leaves_other_listeners_alone() -> None:
    emitter = twnet.EventEmitter()
    seen: list[Any] = []
    emitter.on("x", seen.append)
    emitter.on("error", seen.append)
    twnet.once(emitter, "x")
    emitter.emit("x", 1)
    assert seen == [1]
    assert emitter.listenerCount("x") == 1 and emitter.listenerCount("error") == 1


# -- twnet.run(), in subprocesses --------------------------------------------------------------

PRELUDE = """\
import sys, time
from twisted.internet import reactor
import twnet
from twnet import _liveness, _runtime

T0 = time.monotonic()

def mark(text):
    print(f"{text} {time.monotonic() - T0:.3f}", flush=True)

"""

RUNS: dict[str, str] = {
    "nothing": """
        twnet.run()
        mark("returned")
    """,
    "main_only": """
        twnet.run(lambda: mark("main"))
        mark("returned")
    """,
    "timer": """
        def main():
            reactor.callLater(0.05, mark, "timer")
            mark("main returns")
        twnet.run(main, reactor=reactor)
        mark("returned")
        mark(f"reactor running={reactor.running}")
    """,
    "chained_timers": """
        def main():
            reactor.callLater(0.02, lambda: reactor.callLater(0.02, mark, "second"))
        twnet.run(main)
        mark("returned")
    """,
    "main_raises_uncaught": """
        def main():
            raise KeyError("in main")
        mark("before run")
        twnet.run(main)
        mark("after run")
    """,
    "main_raises_caught": """
        error = KeyError("in main")
        def main():
            reactor.callLater(5, mark, "late timer")  # the run ends without waiting for it
            raise error
        try:
            twnet.run(main)
        except KeyError as e:
            mark(f"caught same={e is error}")
    """,
    "timer_raises": """
        def boom():
            raise ValueError("in a timer")
        def main():
            reactor.callLater(0.02, boom)
            reactor.callLater(0.5, mark, "late timer")
        try:
            twnet.run(main)
        except ValueError as e:
            mark(f"caught {e}")
        else:
            mark("returned")
    """,
    "tick_raises": """
        def main():
            twnet.nextTick(lambda: 1 / 0)
        try:
            twnet.run(main)
        except ZeroDivisionError:
            mark("caught")
    """,
    "hold_release": """
        handle = type("Handle", (), {})()
        def release():
            mark("release")
            _runtime.release(handle)
        def main():
            _runtime.hold(handle)
            # only an unref'd timer is left: the hold alone keeps the run going
            _runtime.unref_timer(reactor.callLater(0.1, release))
        twnet.run(main)
        mark("returned")
    """,
    "unref_timer": """
        def main():
            _runtime.unref_timer(reactor.callLater(5, mark, "unref'd timer"))
            reactor.callLater(0.02, mark, "ref'd timer")
        twnet.run(main)
        mark("returned")
    """,
    "unref_socket_left_open": """
        def main():
            def on_connection(conn):
                mark("connection")
                conn.unref()
                client.unref()
                server.unref()
            server = twnet.createServer(on_connection)
            server.on("close", lambda: mark("server close"))
            def listening():
                global client
                client = twnet.connect(server.address().port, "127.0.0.1")
                client.on("error", lambda err: mark(f"client error {err.code}"))
                client.on("close", lambda had_error: mark("client close"))
            server.listen(0, "127.0.0.1", listening)
        twnet.run(main)
        mark("returned")
    """,
    "ticks": """
        def main():
            def first():
                mark("tick 1")
                twnet.nextTick(mark, "tick 3")
            twnet.nextTick(first)
            twnet.next_tick(mark, "tick 2")
            mark("main returns")
        twnet.run(main)
        mark("returned")
    """,
}


def test_unrefd_sockets_left_open_end_the_run_silently(runs: dict[str, Run]) -> None:
    # Node exits without a word for what is unref'd and still open; Twisted closing it at
    # shutdown must not surface as errors or events.
    run = runs["unref_socket_left_open"]
    assert run.returncode == 0, run.stderr
    assert run.events() == ["connection", "returned"]


@dataclass
class Run:
    returncode: int
    lines: list[str]
    stderr: str

    def events(self) -> list[str]:
        """The marks, without their times."""
        return [line.rsplit(" ", 1)[0] for line in self.lines]

    def at(self, event: str) -> float:
        """When *event* was marked (seconds after the script started)."""
        (line,) = [line for line in self.lines if line.rsplit(" ", 1)[0] == event]
        return float(line.rsplit(" ", 1)[1])


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, body in RUNS.items()
    }
    results = {}
    deadline = time.monotonic() + 30
    for name, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            err += "\n(killed: still running after 30 s)"
        results[name] = Run(proc.returncode, out.splitlines(), err)
    return results


def _ok(run: Run) -> None:
    assert run.returncode == 0, run.stderr


def test_run_with_nothing_returns_at_once(runs: dict[str, Run]) -> None:
    run = runs["nothing"]
    _ok(run)
    assert run.events() == ["returned"]
    assert run.at("returned") < 1.0


def test_run_calls_main_and_returns_when_nothing_is_left(runs: dict[str, Run]) -> None:
    run = runs["main_only"]
    _ok(run)
    assert run.events() == ["main", "returned"]


def test_run_returns_after_the_last_timer(runs: dict[str, Run]) -> None:
    run = runs["timer"]
    _ok(run)
    assert run.events() == ["main returns", "timer", "returned", "reactor running=False"]
    assert run.at("timer") - run.at("main returns") >= 0.04
    assert run.at("returned") - run.at("timer") < 1.0


def test_run_waits_for_timers_made_by_timers(runs: dict[str, Run]) -> None:
    run = runs["chained_timers"]
    _ok(run)
    assert run.events() == ["second", "returned"]


def test_an_exception_in_main_ends_the_process(runs: dict[str, Run]) -> None:
    run = runs["main_raises_uncaught"]
    assert run.returncode == 1
    assert run.events() == ["before run"]
    assert "Traceback" in run.stderr
    assert "KeyError: 'in main'" in run.stderr


def test_an_exception_in_main_is_raised_from_run(runs: dict[str, Run]) -> None:
    run = runs["main_raises_caught"]
    _ok(run)
    assert run.events() == ["caught same=True"]
    assert run.at("caught same=True") < 2.0  # did not wait for the 5 s timer


def test_an_exception_in_a_timer_is_raised_from_run(runs: dict[str, Run]) -> None:
    run = runs["timer_raises"]
    _ok(run)
    assert run.events() == ["caught in a timer"]  # not "late timer"


def test_an_exception_in_a_tick_is_raised_from_run(runs: dict[str, Run]) -> None:
    run = runs["tick_raises"]
    _ok(run)
    assert run.events() == ["caught"]


def test_hold_keeps_the_run_alive_until_release(runs: dict[str, Run]) -> None:
    run = runs["hold_release"]
    _ok(run)
    assert run.events() == ["release", "returned"]
    assert run.at("release") >= 0.09


def test_an_unrefd_timer_does_not_keep_the_run_alive(runs: dict[str, Run]) -> None:
    run = runs["unref_timer"]
    _ok(run)
    assert run.events() == ["ref'd timer", "returned"]
    assert run.at("returned") < 2.0


def test_ticks_queued_in_main_run_before_run_returns(runs: dict[str, Run]) -> None:
    run = runs["ticks"]
    _ok(run)
    assert run.events() == ["main returns", "tick 1", "tick 2", "tick 3", "returned"]


# -- twnet_reactor_clean (autouse in tests/conftest.py) ----------------------------------------

FIXTURE_TESTS = """
import pytest, pytest_twisted
from twisted.internet import reactor, task
from twisted.internet.protocol import Factory
import twnet
from twnet.testing import capture_failures

def test_sync_clean():
    twnet.nextTick(lambda: None)  # drained by the fixture

@pytest_twisted.inlineCallbacks
def test_deferred_clean():
    yield task.deferLater(reactor, 0.01, lambda: None)

@pytest_twisted.ensureDeferred
async def test_async_clean():
    port = reactor.listenTCP(0, Factory(), interface="127.0.0.1")
    e = twnet.EventEmitter()
    reactor.callLater(0.01, e.emit, "x", 1)
    assert await twnet.once(e, "x") == [1]
    await port.stopListening()

def test_captured_failure_is_the_tests_business():
    with capture_failures() as failures:
        twnet.nextTick(lambda: 1 / 0)
        twnet._runtime.drain_ticks()
    assert len(failures) == 1

def test_dirty_timer():
    reactor.callLater(100, lambda: None)

def test_after_dirty_timer_is_clean():
    pass

@pytest_twisted.inlineCallbacks
def test_dirty_port():
    global port
    port = reactor.listenTCP(0, Factory(), interface="127.0.0.1")
    yield task.deferLater(reactor, 0, lambda: None)

def test_uncaught_in_a_tick():
    twnet.nextTick(lambda: 1 / 0)

@pytest_twisted.ensureDeferred
async def test_uncaught_in_a_deferred_test():
    twnet.nextTick(lambda: 1 / 0)
    await task.deferLater(reactor, 0.01, lambda: None)
"""

PYTEST = [sys.executable, "-m", "pytest", "-p", "twnet.testing", "-p", "no:cacheprovider"]

FIXTURE_CONFTEST = """
import pytest

@pytest.fixture(autouse=True)
def _clean(twnet_reactor_clean):
    yield
"""


def test_reactor_clean_fixture(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(FIXTURE_CONFTEST)
    (tmp_path / "test_fixture.py").write_text(FIXTURE_TESTS)
    proc = subprocess.run(
        [*PYTEST, "-rA", "-q", "test_fixture.py"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    outcomes = {}
    for line in proc.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "ERROR", "FAILED") and "::" in rest:
            outcomes[rest.split("::")[1].split(" ")[0]] = word
    assert outcomes == {
        "test_sync_clean": "PASSED",
        "test_deferred_clean": "PASSED",
        "test_async_clean": "PASSED",
        "test_captured_failure_is_the_tests_business": "PASSED",
        "test_dirty_timer": "ERROR",
        "test_after_dirty_timer_is_clean": "PASSED",
        "test_dirty_port": "ERROR",
        "test_uncaught_in_a_tick": "ERROR",
        "test_uncaught_in_a_deferred_test": "ERROR",
    }, proc.stdout + proc.stderr
    assert "pending call" in proc.stdout
    assert "open selectable" in proc.stdout
    assert "uncaught exception(s) in twnet callbacks" in proc.stdout
