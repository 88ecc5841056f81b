"""twnet.timers on a Clock: order, clamping, ref/unref, refresh, clear*, argument errors,
and twnet.timers.promises."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from twisted.internet.defer import CancelledError, Deferred, ensureDeferred
from twisted.internet.task import Clock

import twnet
from twnet import _liveness, _timers, timers
from twnet.testing import capture_failures
from twnet.timers import promises


@pytest.fixture
def clock() -> Iterator[Clock]:
    before = _liveness._held
    clock = Clock()
    yield clock
    assert _liveness._held == before, "the test left a ref'd timer or immediate pending"
    assert clock.getDelayedCalls() == []


def held() -> int:
    return _liveness._held


# -- order ------------------------------------------------------------------------------------


def test_equal_timeouts_fire_in_the_order_set(clock: Clock) -> None:
    out: list[str] = []
    for name in "abcdefgh":
        twnet.setTimeout(out.append, 5, name, reactor=clock)
    twnet.setTimeout(out.append, 4, "first", reactor=clock)
    clock.advance(0.005)
    assert out == ["first", *"abcdefgh"]
    assert clock.getDelayedCalls() == []


def test_args_and_the_twins(clock: Clock) -> None:
    out: list[tuple[Any, ...]] = []
    twnet.set_timeout(lambda *a: out.append(a), 1, 1, "two", None, reactor=clock)
    timers.setTimeout(lambda: out.append(()), reactor=clock)  # no delay: 1 ms
    clock.advance(0.001)
    assert out == [(1, "two", None), ()]
    assert twnet.setTimeout is timers.setTimeout is timers.set_timeout
    assert twnet.Timeout.has_ref is twnet.Timeout.hasRef


def test_next_ticks_run_between_timers(clock: Clock) -> None:
    out: list[str] = []

    def first() -> None:
        out.append("t1")
        twnet.nextTick(out.append, "tick")

    twnet.setTimeout(first, 1, reactor=clock)
    twnet.setTimeout(out.append, 1, "t2", reactor=clock)
    clock.advance(0.001)
    assert out == ["t1", "tick", "t2"]


def test_a_timer_set_by_a_timer_waits_for_the_next_pass(clock: Clock) -> None:
    out: list[str] = []

    def first() -> None:
        out.append("t1")
        twnet.setTimeout(out.append, 1, "inner", reactor=clock)

    twnet.setTimeout(first, 1, reactor=clock)
    clock.advance(0.005)  # late: 'inner' is due at 6 ms, not in this pass
    assert out == ["t1"]
    clock.advance(0.001)
    assert out == ["t1", "inner"]


def test_an_exception_is_reported_and_the_other_timers_run(clock: Clock) -> None:
    out: list[str] = []
    boom = RuntimeError("boom")

    def bad() -> None:
        raise boom

    bad_timer = twnet.setTimeout(bad, 1, reactor=clock)
    twnet.setTimeout(out.append, 1, "after", reactor=clock)
    with capture_failures() as failures:
        clock.advance(0.001)
    assert [f.value for f in failures] == [boom]
    assert out == ["after"]
    assert bad_timer._destroyed and not bad_timer._holding


# -- setInterval ------------------------------------------------------------------------------


def test_interval_repeats_until_cleared_from_its_callback(clock: Clock) -> None:
    count = []

    def tick() -> None:
        count.append(clock.seconds())
        if len(count) == 3:
            twnet.clearInterval(interval)

    interval = twnet.setInterval(tick, 10, reactor=clock)
    for _ in range(5):
        clock.advance(0.01)
    assert [round(t, 3) for t in count] == [0.01, 0.02, 0.03]
    assert clock.getDelayedCalls() == [] and not interval._holding


def test_interval_period_counts_from_when_it_ran(clock: Clock) -> None:
    times: list[float] = []
    interval = twnet.setInterval(lambda: times.append(round(clock.seconds(), 3)), 10, reactor=clock)
    clock.advance(0.015)  # late by 5 ms: the next one is 10 ms after this run
    clock.advance(0.009)
    clock.advance(0.001)
    interval.close()
    assert times == [0.015, 0.025]


# -- clear* ------------------------------------------------------------------------------------


def test_clear_accepts_none_and_foreign_values(clock: Clock) -> None:
    for clear in (twnet.clearTimeout, twnet.clearInterval, twnet.clearImmediate):
        clear(None)
        clear("x")
        clear(12345)
        clear(object())
        clear(True)
    out: list[str] = []
    t = twnet.setTimeout(out.append, 1, "t", reactor=clock)
    i = twnet.setImmediate(out.append, "i", reactor=clock)
    twnet.clearImmediate(t)  # a Timeout is not an Immediate: ignored, as in Node
    twnet.clearTimeout(i)
    clock.advance(0.001)
    assert sorted(out) == ["i", "t"]


def test_clear_by_id(clock: Clock) -> None:
    out: list[str] = []
    t = twnet.setTimeout(out.append, 1, "t", reactor=clock)
    number = int(t)
    twnet.clearTimeout(str(number))  # Node accepts the id as a number or a string
    clock.advance(0.001)
    assert out == []
    twnet.clearTimeout(number)  # already cleared: nothing
    assert number not in _timers._known


def test_clear_releases_the_hold(clock: Clock) -> None:
    before = held()
    t = twnet.setTimeout(print, 100, reactor=clock)
    assert held() == before + 1
    twnet.clearTimeout(t)
    assert held() == before
    twnet.clearTimeout(t)
    assert held() == before
    assert clock.getDelayedCalls() == []


def test_close_and_with_block(clock: Clock) -> None:
    out: list[str] = []
    t = twnet.setTimeout(out.append, 1, "t", reactor=clock)
    assert t.close() is t
    with twnet.setTimeout(out.append, 1, "w", reactor=clock):
        pass
    with twnet.setImmediate(out.append, "i", reactor=clock):
        pass
    clock.advance(0.001)
    assert out == []


# -- ref / unref / hasRef / refresh ------------------------------------------------------------


def test_ref_unref_has_ref(clock: Clock) -> None:
    before = held()
    t = twnet.setTimeout(print, 100, reactor=clock)
    assert t.hasRef() is True
    assert t.unref() is t and t.hasRef() is False and held() == before
    t.unref()
    assert held() == before
    assert t.ref() is t and t.hasRef() is True and held() == before + 1
    t.close()
    t.ref()  # cleared: ref'd but holds nothing
    assert t.hasRef() is True and held() == before
    i = twnet.setImmediate(print, reactor=clock).unref()
    assert i.hasRef() is False and held() == before
    i.ref()
    assert held() == before + 1
    twnet.clearImmediate(i)
    assert held() == before
    clock.advance(0)  # the batch runs and finds nothing to do


def test_refresh_restarts_the_delay(clock: Clock) -> None:
    out: list[float] = []
    t = twnet.setTimeout(lambda: out.append(round(clock.seconds(), 3)), 10, reactor=clock)
    clock.advance(0.008)
    assert t.refresh() is t
    clock.advance(0.008)
    assert out == []
    clock.advance(0.002)
    assert out == [0.018]


def test_refresh_after_firing_re_arms_but_not_after_clear(clock: Clock) -> None:
    before = held()
    out: list[str] = []
    t = twnet.setTimeout(out.append, 5, "t", reactor=clock)
    clock.advance(0.005)
    assert held() == before
    t.refresh()  # Node re-arms a timeout that fired
    assert held() == before + 1
    clock.advance(0.005)
    assert out == ["t", "t"]
    t.close()
    t.refresh()
    clock.advance(0.005)
    assert out == ["t", "t"] and held() == before


def test_refresh_from_its_own_callback(clock: Clock) -> None:
    out: list[int] = []

    def again() -> None:
        out.append(1)
        if len(out) < 3:
            t.refresh()

    t = twnet.setTimeout(again, 5, reactor=clock)
    for _ in range(4):
        clock.advance(0.005)
    assert out == [1, 1, 1]
    assert not t._holding


def test_refresh_keeps_an_unref_d_timer_unref_d(clock: Clock) -> None:
    before = held()
    t = twnet.setTimeout(print, 5, reactor=clock).unref()
    t.refresh()
    assert held() == before and t.hasRef() is False
    t.close()


# -- clamping ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[warnings.WarningMessage]]:
    monkeypatch.setattr(_timers, "_warned_negative", False)
    monkeypatch.setattr(_timers, "_warned_nan", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


@pytest.mark.parametrize(
    ("delay", "ms"),
    [
        (0, 1),
        (0.5, 1),
        (1, 1),
        (1.5, 1.5),
        (-5, 1),
        (math.nan, 1),
        (math.inf, 1),
        (2**31 - 1, 2**31 - 1),
        (2**31, 1),
        (None, 1),
        ("20", 20),
        ("abc", 1),
        (True, 1),
        (object(), 1),
    ],
)
def test_clamping(delay: Any, ms: float, clock: Clock, fresh_warnings: Any) -> None:
    t = twnet.setTimeout(print, delay, reactor=clock)
    assert t._idleTimeout == ms
    t.close()


def test_clamping_warnings(clock: Clock, fresh_warnings: list[warnings.WarningMessage]) -> None:
    for delay in (2**31, 2**31, -1, -2, math.nan, "x", 0, None):
        twnet.setTimeout(print, delay, reactor=clock).close()
    got = [(type(w.message).__name__, str(w.message)) for w in fresh_warnings]
    assert got == [
        (
            "TimeoutOverflowWarning",
            "2147483648 does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.",
        ),
        (
            "TimeoutOverflowWarning",
            "2147483648 does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.",
        ),
        ("TimeoutNegativeWarning", "-1 is a negative number.\nTimeout duration was set to 1."),
        ("TimeoutNaNWarning", "NaN is not a number.\nTimeout duration was set to 1."),
    ]
    assert issubclass(timers.TimeoutOverflowWarning, RuntimeWarning)


# -- argument errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [twnet.setTimeout, twnet.setInterval, twnet.setImmediate])
@pytest.mark.parametrize("bad", [None, 5, "cb"])
def test_callback_must_be_a_function(fn: Any, bad: Any, clock: Clock) -> None:
    before = held()
    with pytest.raises(TypeError) as info:
        fn(bad, reactor=clock)
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(info.value).startswith('The "callback" argument must be of type function.')
    assert held() == before and clock.getDelayedCalls() == []


# -- setImmediate ------------------------------------------------------------------------------


def test_immediates_run_in_order_and_queue_the_next_batch(clock: Clock) -> None:
    out: list[str] = []

    def first() -> None:
        out.append("i1")
        twnet.setImmediate(out.append, "nested", reactor=clock)
        twnet.nextTick(out.append, "tick")

    twnet.setImmediate(first, reactor=clock)
    twnet.setImmediate(out.append, "i2", reactor=clock)
    clock.advance(0)
    assert out == ["i1", "tick", "i2", "nested"]


def test_nested_immediate_runs_in_the_next_batch(clock: Clock) -> None:
    out: list[str] = []

    def first() -> None:
        out.append("a")
        twnet.setImmediate(out.append, "nested", reactor=clock)
        assert len(clock.getDelayedCalls()) == 1  # the next batch's call

    twnet.setImmediate(first, reactor=clock)
    twnet.setImmediate(out.append, "b", reactor=clock)
    clock.advance(0)  # a Clock runs the next batch's callLater(0) in the same advance
    assert out == ["a", "b", "nested"]


def test_cleared_immediate_does_not_run(clock: Clock) -> None:
    out: list[str] = []

    def clear_other() -> None:
        twnet.clearImmediate(other)

    twnet.setImmediate(clear_other, reactor=clock)
    other = twnet.setImmediate(out.append, "other", reactor=clock)
    clock.advance(0)
    assert out == [] and not other._holding


def test_immediates_on_the_real_reactor_go_through_call_from_thread() -> None:
    assert timers.setImmediate is twnet.setImmediate
    sched = _timers.scheduler()
    assert sched.threaded


# -- promises ----------------------------------------------------------------------------------


def test_promise_timeout(clock: Clock) -> None:
    d = promises.setTimeout(10, "v", reactor=clock)
    results: list[Any] = []
    d.addCallback(results.append)
    clock.advance(0.01)
    assert results == ["v"]


def test_promise_immediate_and_scheduler(clock: Clock) -> None:
    results: list[Any] = []
    promises.setImmediate("v", reactor=clock).addCallback(results.append)
    promises.scheduler.wait(5, reactor=clock).addCallback(results.append)
    getattr(promises.scheduler, "yield")(reactor=clock).addCallback(results.append)
    clock.advance(0)
    assert results == ["v", None]
    clock.advance(0.005)
    assert results == ["v", None, None]
    with pytest.raises(TypeError):
        promises.Scheduler()


def _failure_of(d: Deferred[Any]) -> BaseException:
    errors: list[BaseException] = []
    d.addErrback(lambda f: errors.append(f.value))
    assert len(errors) == 1
    return errors[0]


def test_promise_signal_aborts(clock: Clock) -> None:
    before = held()
    controller = twnet.AbortController()
    d = promises.setTimeout(10, "v", {"signal": controller.signal}, reactor=clock)
    controller.abort("why")
    err = _failure_of(d)
    assert isinstance(err, twnet.AbortError) and err.cause == "why"
    assert held() == before and clock.getDelayedCalls() == []
    assert controller.signal._listeners == {}
    pre = promises.setImmediate(1, signal=twnet.AbortSignal.abort("pre"), reactor=clock)
    assert _failure_of(pre).cause == "pre"  # type: ignore[attr-defined]


def test_promise_listener_removed_when_it_fires(clock: Clock) -> None:
    controller = twnet.AbortController()
    promises.setTimeout(1, None, signal=controller.signal, reactor=clock)
    clock.advance(0.001)
    assert controller.signal._listeners == {}


def test_promise_cancel_clears_the_timer(clock: Clock) -> None:
    before = held()
    controller = twnet.AbortController()
    d = promises.setTimeout(10, signal=controller.signal, reactor=clock)
    d.cancel()
    assert isinstance(_failure_of(d), CancelledError)
    assert held() == before and clock.getDelayedCalls() == []
    assert controller.signal._listeners == {}


def test_promise_ref_false(clock: Clock) -> None:
    before = held()
    d = promises.setTimeout(10, ref=False, reactor=clock)
    assert held() == before
    clock.advance(0.01)
    assert d.called


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: promises.setTimeout("1", reactor=c),
            'The "delay" argument must be of type number',
        ),
        (lambda c: promises.setTimeout(1, None, 5, reactor=c), 'The "options" argument must be'),
        (
            lambda c: promises.setTimeout(1, None, {"signal": 1}, reactor=c),
            'The "options.signal" property must be an instance of AbortSignal',
        ),
        (
            lambda c: promises.setImmediate(None, {"ref": 1}, reactor=c),
            'The "options.ref" property must be of type boolean',
        ),
    ],
)
def test_promise_bad_arguments_fail_the_deferred(call: Any, message: str, clock: Clock) -> None:
    err = _failure_of(call(clock))
    assert err.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(err).startswith(message)
    assert clock.getDelayedCalls() == []


def test_promise_interval_iterates_and_clears_on_break(clock: Clock) -> None:
    before = held()
    got: list[Any] = []

    async def loop() -> None:
        async for value in promises.setInterval(10, "x", reactor=clock):
            got.append(value)
            if len(got) == 3:
                break

    d = ensureDeferred(loop())
    for _ in range(3):
        clock.advance(0.01)
    assert d.called and got == ["x", "x", "x"]
    assert held() == before and clock.getDelayedCalls() == []


def test_promise_interval_yields_missed_ticks(clock: Clock) -> None:
    got: list[float] = []

    async def loop() -> None:
        async for _ in promises.setInterval(10, reactor=clock):
            got.append(round(clock.seconds(), 3))
            if len(got) == 1:
                await promises.setTimeout(25, reactor=clock)
            if len(got) == 3:
                break

    d = ensureDeferred(loop())
    for _ in range(5):
        clock.advance(0.01)
    assert d.called
    # The 25 ms wait ends at 0.04 (the clock moves in 10 ms steps); the ticks of 0.02 and
    # 0.03 came during it: both are yielded then, without waiting.
    assert got == [0.01, 0.04, 0.04]


def test_promise_interval_abort(clock: Clock) -> None:
    before = held()
    controller = twnet.AbortController()
    got: list[Any] = []

    async def loop() -> None:
        async for value in promises.setInterval(10, 1, signal=controller.signal, reactor=clock):
            got.append(value)

    d = ensureDeferred(loop())
    clock.advance(0.01)
    controller.abort("stop")
    err = _failure_of(d)
    assert isinstance(err, twnet.AbortError) and err.cause == "stop"
    assert got == [1] and held() == before and clock.getDelayedCalls() == []
    assert controller.signal._listeners == {}


def test_promise_interval_bad_arguments_raise_on_first_next(clock: Clock) -> None:
    async def loop() -> None:
        async for _ in promises.setInterval(10, None, {"ref": "no"}, reactor=clock):
            pass

    err = _failure_of(ensureDeferred(loop()))
    assert str(err).startswith('The "options.ref" property must be of type boolean')

    async def pre_aborted() -> None:
        async for _ in promises.setInterval(10, signal=twnet.AbortSignal.abort(), reactor=clock):
            pass

    assert isinstance(_failure_of(ensureDeferred(pre_aborted())), twnet.AbortError)
    assert clock.getDelayedCalls() == []
