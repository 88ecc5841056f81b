"""twnet._clock.Timer: one timer on a Twisted clock, with ref/unref/refresh (on a Clock)."""

from __future__ import annotations

from twisted.internet import task

from twnet import _liveness
from twnet._clock import Timer


def unrefd(timer: Timer) -> bool:
    """Whether the timer's pending call is counted as unref'd by the runtime."""
    call = timer._call
    return call is not None and id(call) in _liveness._unref_timers


def test_start_calls_once_after_the_delay() -> None:
    clock = task.Clock()
    seen: list[str] = []
    timer = Timer(clock, seen.append, "fired")
    assert not timer.active() and timer.when() is None
    timer.start(2)
    assert timer.active() and timer.when() == 2
    clock.advance(1.999)
    assert seen == []
    clock.advance(0.001)
    assert seen == ["fired"]
    assert not timer.active() and timer.when() is None
    clock.advance(10)
    assert seen == ["fired"]
    assert clock.getDelayedCalls() == []


def test_start_again_replaces_the_pending_call() -> None:
    clock = task.Clock()
    seen: list[float] = []
    timer = Timer(clock, lambda: seen.append(clock.seconds()))
    timer.start(5)
    clock.advance(1)
    timer.start(1)
    assert len(clock.getDelayedCalls()) == 1
    clock.advance(0.999)
    assert seen == []
    clock.advance(0.001)
    assert seen == [2]
    clock.advance(5)
    assert seen == [2]


def test_refresh_restarts_with_the_last_delay() -> None:
    clock = task.Clock()
    seen: list[float] = []
    timer = Timer(clock, lambda: seen.append(clock.seconds()))
    timer.start(3)
    clock.advance(2)
    timer.refresh()
    clock.advance(2)
    assert seen == []
    clock.advance(1)
    assert seen == [5]
    timer.refresh()  # after it fired: armed again
    clock.advance(3)
    assert seen == [5, 8]


def test_cancel_stops_it_and_is_harmless_twice() -> None:
    clock = task.Clock()
    seen: list[int] = []
    timer = Timer(clock, seen.append, 1)
    timer.cancel()
    timer.start(1)
    timer.cancel()
    timer.cancel()
    clock.advance(2)
    assert seen == [] and clock.getDelayedCalls() == []


def test_unref_and_ref_move_the_call_in_and_out_of_liveness() -> None:
    clock = task.Clock()
    timer = Timer(clock, lambda: None, ref=False)
    assert not timer.has_ref()
    timer.start(1)
    assert unrefd(timer)
    timer.ref()
    assert timer.has_ref() and not unrefd(timer)
    timer.unref()
    assert not timer.has_ref() and unrefd(timer)
    call = timer._call
    timer.cancel()
    assert call is not None and id(call) not in _liveness._unref_timers
    timer.start(1)
    assert unrefd(timer)
    call = timer._call
    clock.advance(1)  # fired: forgotten
    assert call is not None and id(call) not in _liveness._unref_timers


def test_a_refd_timer_is_never_counted_as_unrefd() -> None:
    clock = task.Clock()
    timer = Timer(clock, lambda: None)
    timer.unref()  # not started: nothing to count yet
    timer.ref()
    timer.start(1)
    assert timer.has_ref() and not unrefd(timer)
    timer.cancel()


def test_an_exception_from_the_function_leaves_the_timer_stopped() -> None:
    clock = task.Clock()

    def boom() -> None:
        raise ValueError("boom")

    timer = Timer(clock, boom, ref=False)
    timer.start(1)
    call = timer._call
    try:
        clock.advance(1)
    except ValueError:
        pass
    assert not timer.active()
    assert call is not None and id(call) not in _liveness._unref_timers
