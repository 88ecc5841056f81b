"""AbortController, AbortSignal, EventTarget and Event, against what Node 24 does (the
expected values were taken from Node 24 runs of the same calls)."""

from __future__ import annotations

import gc
import warnings
from typing import Any

import pytest
from twisted.internet.task import Clock

import twnet
from twnet import AbortController, AbortError, AbortSignal, DOMException, Event, EventTarget
from twnet._abort import add_abort_listener, add_abort_signal, validate_abort_signal
from twnet._runtime import drain_ticks
from twnet.testing import capture_failures

# -- EventTarget ---------------------------------------------------------------------------


def test_listeners_run_in_order_with_the_event() -> None:
    target = EventTarget()
    seen: list[Any] = []
    target.addEventListener("x", lambda e: seen.append(("a", e.type, e.target is target)))
    target.add_event_listener("x", lambda e: seen.append(("b", e.eventPhase)))
    event = Event("x")
    assert target.dispatchEvent(event) is True
    assert seen == [("a", "x", True), ("b", Event.AT_TARGET)]
    assert event.target is target
    assert event.currentTarget is None and event.eventPhase == 0  # after the dispatch
    assert event.isTrusted is False and event.is_trusted is False


def test_added_during_dispatch_runs_removed_does_not() -> None:
    # Node walks a linked list: a listener appended during the dispatch is reached.
    target = EventTarget()
    seen: list[str] = []

    def f(_e: Event) -> None:
        seen.append("f")

    def a(_e: Event) -> None:
        seen.append("a")
        target.addEventListener("x", lambda _e: seen.append("added"))
        target.removeEventListener("x", f)

    target.addEventListener("x", a)
    target.addEventListener("x", f)
    target.dispatchEvent(Event("x"))
    assert seen == ["a", "added"]
    seen.clear()
    target.dispatchEvent(Event("x"))
    assert seen == ["a", "added", "added"]


def test_duplicates_capture_and_once() -> None:
    target = EventTarget()
    seen: list[str] = []

    def g(_e: Event) -> None:
        seen.append("g")

    target.addEventListener("y", g)
    target.addEventListener("y", g)  # the same: ignored
    target.addEventListener("y", g, {"once": True})  # still the same listener: ignored
    target.addEventListener("y", g, True)  # capture: another registration
    target.dispatchEvent(Event("y"))
    assert seen == ["g", "g"]
    target.removeEventListener("y", g)
    seen.clear()
    target.dispatchEvent(Event("y"))
    assert seen == ["g"]
    target.removeEventListener("y", g, capture=True)
    target.addEventListener("y", g, once=True)
    seen.clear()
    target.dispatchEvent(Event("y"))
    target.dispatchEvent(Event("y"))
    assert seen == ["g"]


def test_handle_event_objects() -> None:
    class Handler:
        def __init__(self) -> None:
            self.events: list[str] = []

        def handleEvent(self, event: Event) -> None:
            self.events.append(event.type)

    handler = Handler()
    target = EventTarget()
    target.addEventListener("z", handler)
    target.dispatchEvent(Event("z"))
    assert handler.events == ["z"]


def test_a_raising_listener_does_not_stop_the_others_and_is_reported() -> None:
    target = EventTarget()
    seen: list[str] = []
    boom = ValueError("boom")

    def bad(_e: Event) -> None:
        raise boom

    target.addEventListener("e", bad)
    target.addEventListener("e", lambda _e: seen.append("second"))
    with capture_failures() as failures:
        target.dispatchEvent(Event("e"))
        assert seen == ["second"]
        assert failures == []  # reported on the next tick, as Node does
        drain_ticks()
    assert [f.value for f in failures] == [boom]


def test_prevent_default_and_stop_immediate_propagation() -> None:
    target = EventTarget()
    target.addEventListener("q", lambda e: e.preventDefault())
    cancelable = Event("q", {"cancelable": True})
    assert target.dispatchEvent(cancelable) is False
    assert cancelable.defaultPrevented and not cancelable.returnValue
    plain = Event("q")
    assert target.dispatchEvent(plain) is True  # not cancelable: nothing prevented
    seen: list[str] = []
    t2 = EventTarget()
    t2.addEventListener("s", lambda e: (seen.append("s1"), e.stopImmediatePropagation()))
    t2.addEventListener("s", lambda e: seen.append("s2"))
    t2.dispatchEvent(Event("s"))
    assert seen == ["s1"]


def test_recursive_dispatch_of_the_same_event() -> None:
    target = EventTarget()
    event = Event("r")
    errors: list[BaseException] = []

    def again(_e: Event) -> None:
        try:
            target.dispatchEvent(event)
        except twnet.NodeError as err:
            errors.append(err)

    target.addEventListener("r", again)
    target.dispatchEvent(event)
    assert [(e.code, str(e)) for e in errors] == [  # type: ignore[attr-defined]
        ("ERR_EVENT_RECURSION", 'The event "r" is already being dispatched')
    ]


def test_argument_errors() -> None:
    target = EventTarget()
    with pytest.raises(TypeError) as info:
        target.addEventListener("abort", 5)
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(info.value).startswith(
        'The "listener" argument must be an instance of EventListener. Received type int (5)'
    )
    for call in (
        lambda: target.addEventListener("abort"),
        lambda: target.addEventListener(),
        lambda: target.removeEventListener("abort"),
    ):
        with pytest.raises(TypeError) as info:
            call()
        assert info.value.code == "ERR_MISSING_ARGS"  # type: ignore[attr-defined]
        assert str(info.value) == 'The "type" and "listener" arguments must be specified'
    with pytest.raises(TypeError) as info:
        target.dispatchEvent("x")  # type: ignore[arg-type]
    assert str(info.value).startswith('The "event" argument must be an instance of Event.')
    with pytest.raises(TypeError) as info:
        target.addEventListener("z", print, 5)  # type: ignore[arg-type]
    assert str(info.value).startswith('The "options" argument must be of type object.')
    with pytest.raises(TypeError) as info:
        target.addEventListener("z", print, {"signal": 5})
    assert str(info.value).startswith(
        'The "options.signal" property must be an instance of AbortSignal.'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        target.addEventListener("abort", None)
    assert [str(w.message) for w in caught] == [
        "addEventListener called with None which has no effect."
    ]


def test_signal_option_removes_the_listener() -> None:
    target = EventTarget()
    seen: list[str] = []
    controller = AbortController()
    target.addEventListener("z", lambda _e: seen.append("z"), {"signal": controller.signal})
    controller.abort()
    assert target.dispatchEvent(Event("z")) is True
    target.addEventListener("z", lambda _e: seen.append("z2"), signal=AbortSignal.abort())
    target.dispatchEvent(Event("z"))
    assert seen == []


# -- AbortController / AbortSignal ----------------------------------------------------------


def test_abort_dispatches_once_with_the_default_reason() -> None:
    controller = AbortController()
    signal = controller.signal
    seen: list[Any] = []
    signal.addEventListener("abort", lambda e: seen.append((e.type, e.isTrusted, e.target)))
    signal.onabort = lambda e: seen.append("onabort")
    assert signal.aborted is False and signal.reason is None
    controller.abort()
    controller.abort("again")  # aborting twice does nothing
    assert seen == [("abort", True, signal), "onabort"]
    reason = signal.reason
    assert isinstance(reason, DOMException) and isinstance(reason, twnet.NodeError)
    assert (reason.name, reason.code, str(reason)) == (
        "AbortError",
        20,
        "This operation was aborted",
    )
    with pytest.raises(DOMException) as info:
        signal.throwIfAborted()
    assert info.value is reason
    signal.throw_if_aborted  # noqa: B018 - the twin exists


def test_abort_with_a_reason_and_throw_if_aborted() -> None:
    controller = AbortController()
    controller.signal.throwIfAborted()  # not aborted: nothing
    err = KeyError("k")
    controller.abort(err)
    assert controller.signal.reason is err
    with pytest.raises(KeyError):
        controller.signal.throwIfAborted()
    other = AbortController()
    other.abort(42)
    with pytest.raises(AbortError) as info:
        other.signal.throwIfAborted()
    assert info.value.cause == 42


def test_onabort_keeps_its_place() -> None:
    controller = AbortController()
    signal = controller.signal
    seen: list[str] = []
    signal.addEventListener("abort", lambda _e: seen.append("1"))
    signal.onabort = lambda _e: seen.append("h1")
    signal.addEventListener("abort", lambda _e: seen.append("2"))
    signal.onabort = lambda _e: seen.append("h2")
    controller.abort()
    assert seen == ["1", "h2", "2"]
    c3 = AbortController()
    c3.signal.onabort = lambda _e: seen.append("never")
    c3.signal.onabort = None
    assert c3.signal.onabort is None
    c3.abort()
    assert "never" not in seen


def test_signal_constructor_is_illegal() -> None:
    with pytest.raises(TypeError) as info:
        AbortSignal()
    assert info.value.code == "ERR_ILLEGAL_CONSTRUCTOR"  # type: ignore[attr-defined]
    assert str(info.value) == "Illegal constructor"


def test_static_abort() -> None:
    signal = AbortSignal.abort()
    assert signal.aborted and signal.reason.name == "AbortError"
    assert AbortSignal.abort(42).reason == 42
    assert repr(signal) == "AbortSignal { aborted: true }"


def test_timeout_fires_on_the_clock_with_a_timeout_error() -> None:
    clock = Clock()
    signal = AbortSignal.timeout(10, reactor=clock)
    seen: list[Any] = []
    signal.onabort = lambda e: seen.append(signal.reason)
    clock.advance(0.009)
    assert seen == [] and not signal.aborted
    clock.advance(0.001)
    (reason,) = seen
    assert (reason.name, reason.code, reason.message) == (
        "TimeoutError",
        23,
        "The operation was aborted due to timeout",
    )
    assert signal._timer is None
    assert clock.getDelayedCalls() == []


def test_timeout_timer_is_unref_d() -> None:
    clock = Clock()
    signal = AbortSignal.timeout(10, reactor=clock)
    assert signal._timer.hasRef() is False
    clock.advance(1)


@pytest.mark.parametrize(
    ("delay", "kind", "code", "message"),
    [
        ("x", TypeError, "ERR_INVALID_ARG_TYPE", 'The "delay" argument must be of type number.'),
        (
            -1,
            ValueError,
            "ERR_OUT_OF_RANGE",
            'The value of "delay" is out of range. It must be >= 0 && <= 4294967295. Received -1',
        ),
        (
            1.5,
            ValueError,
            "ERR_OUT_OF_RANGE",
            'The value of "delay" is out of range. It must be an integer. Received 1.5',
        ),
        (
            2**32,
            ValueError,
            "ERR_OUT_OF_RANGE",
            'The value of "delay" is out of range. It must be >= 0 && <= 4294967295. '
            "Received 4294967296",
        ),
        (True, TypeError, "ERR_INVALID_ARG_TYPE", 'The "delay" argument must be of type number.'),
    ],
)
def test_timeout_bad_delays(delay: Any, kind: type, code: str, message: str) -> None:
    with pytest.raises(kind) as info:
        AbortSignal.timeout(delay, reactor=Clock())
    assert info.value.code == code  # type: ignore[attr-defined]
    assert str(info.value).startswith(message)


def test_any_follows_the_first_to_abort() -> None:
    assert AbortSignal.any([]).aborted is False
    x1, x2 = AbortController(), AbortController()
    combined = AbortSignal.any([x1.signal, x2.signal])
    seen: list[Any] = []
    combined.onabort = lambda e: seen.append(("any", combined.reason, e.target is combined))
    x1.signal.onabort = lambda _e: seen.append("x1")
    x2.abort("r2")
    x1.abort("r1")
    assert seen == [("any", "r2", True), "x1"]
    assert combined.reason == "r2"


def test_any_of_an_aborted_signal_and_of_composites() -> None:
    pre = AbortController()
    pre.abort("pre")
    assert AbortSignal.any([AbortController().signal, pre.signal]).reason == "pre"
    source = AbortController()
    inner = AbortSignal.any([source.signal])
    outer = AbortSignal.any([inner, inner])
    order: list[str] = []
    inner.onabort = lambda _e: order.append("inner")
    outer.onabort = lambda _e: order.append("outer")
    source.abort("s")
    assert order == ["inner", "outer"]
    assert outer.reason == "s"


def test_any_argument_errors() -> None:
    for bad in ("x", None, 5):
        with pytest.raises(TypeError) as info:
            AbortSignal.any(bad)  # type: ignore[arg-type]
        assert str(info.value) == "signals cannot be converted to sequence."
        assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    with pytest.raises(TypeError) as info:
        AbortSignal.any([AbortSignal.abort(), 1])  # type: ignore[list-item]
    assert str(info.value) == "signals[1] is not of type AbortSignal."


def test_any_does_not_keep_a_dropped_result_alive() -> None:
    source = AbortController()
    AbortSignal.any([source.signal])
    gc.collect()
    source.abort()  # the dependent is gone: nothing to do, nothing raised
    assert source.signal.aborted


def test_abort_error() -> None:
    reason = ValueError("why")
    err = AbortError(cause=reason)
    assert (err.code, err.name, str(err)) == (
        "ABORT_ERR",
        "AbortError",
        "The operation was aborted",
    )
    assert err.cause is reason and err.__cause__ is reason
    assert isinstance(err, twnet.NodeError)
    assert AbortError("other").message == "other"


# -- helpers used by twnet's APIs ------------------------------------------------------------


def test_validate_abort_signal() -> None:
    validate_abort_signal(None, "options.signal")
    validate_abort_signal(AbortSignal.abort(), "options.signal")
    with pytest.raises(TypeError) as info:
        validate_abort_signal({}, "signal")
    assert str(info.value) == (
        'The "signal" argument must be an instance of AbortSignal. Received an instance of dict'
    )


def test_add_abort_listener_and_its_disposer() -> None:
    seen: list[str] = []
    controller = AbortController()
    dispose = add_abort_listener(controller.signal, lambda: seen.append("a"))
    dispose()
    controller.abort()
    assert seen == []
    c2 = AbortController()
    add_abort_listener(c2.signal, lambda: seen.append("b"))
    c2.abort()
    assert seen == ["b"]
    add_abort_listener(c2.signal, lambda: seen.append("late"))  # already aborted: next tick
    assert seen == ["b"]
    drain_ticks()
    assert seen == ["b", "late"]


def test_add_abort_signal_destroys_a_stream_and_forgets_on_close() -> None:
    class Stream(twnet.EventEmitter):
        def __init__(self) -> None:
            super().__init__()
            self.destroyed_with: list[BaseException | None] = []

        def destroy(self, err: BaseException | None = None) -> None:
            self.destroyed_with.append(err)
            self.emit("close")

    controller = AbortController()
    stream = Stream()
    assert add_abort_signal(controller.signal, stream) is stream
    controller.abort("r")
    (err,) = stream.destroyed_with
    assert isinstance(err, AbortError) and err.cause == "r"
    closed = Stream()
    c2 = AbortController()
    add_abort_signal(c2.signal, closed)
    closed.emit("close")
    c2.abort()
    assert closed.destroyed_with == []
    pre = Stream()
    add_abort_signal(AbortSignal.abort(), pre)
    assert len(pre.destroyed_with) == 1  # at once


def test_dom_exception_arguments_read_as_node_reads_them() -> None:
    plain = DOMException()
    assert (plain.message, plain.name, plain.code) == ("", "Error", 0)
    assert DOMException(5, "TimeoutError").message == "5"
    cause = ValueError("c")
    with_options = DOMException("m", {"name": "AbortError", "cause": cause})
    assert (with_options.name, with_options.code, with_options.cause) == ("AbortError", 20, cause)
    assert with_options.__cause__ is cause
    assert DOMException("m", {}).name == "Error"


def test_remove_event_listener_reads_only_capture_true() -> None:
    target = EventTarget()
    seen: list[str] = []

    def g(_e: Event) -> None:
        seen.append("g")

    target.addEventListener("y", g, True)
    target.removeEventListener("y", g, True)  # Node: a bare bool is not {capture: true}
    target.removeEventListener("y", g, 0)  # type: ignore[arg-type] # no check, as in Node
    target.removeEventListener("y", None)  # nothing to remove: no error
    target.dispatchEvent(Event("y"))
    assert seen == ["g"]
    target.removeEventListener("y", g, {"capture": True})
    target.dispatchEvent(Event("y"))
    assert seen == ["g"]
    with pytest.raises(TypeError):
        target.removeEventListener("y", 5)


def test_add_event_listener_takes_any_object_as_options() -> None:
    target = EventTarget()
    seen: list[str] = []
    target.addEventListener("y", lambda _e: seen.append("y"), [])  # type: ignore[arg-type]
    target.dispatchEvent(Event("y"))
    assert seen == ["y"]
