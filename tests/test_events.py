"""twnet's EventEmitter against Node's ``events.EventEmitter``.

The unit tests pin each rule down; ``test_ordering_scenario`` runs the steps of
``tests/events_scenarios/ordering.js`` on twnet's EventEmitter and compares the lines with
``EXPECTED``, what Node 24 prints, and ``test_node_still_prints_expected`` re-runs the JavaScript
(when a Node >= 22 is found) to check the stored expectations.
"""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import twnet
from tests._node import find_node
from twnet import EventEmitter, MaxListenersExceededWarning, errorMonitor

SCENARIOS = Path(__file__).resolve().parent / "events_scenarios"


class Recorder:
    """Named listeners that append ``(name, *args)`` to one shared list."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, name: str) -> Callable[..., None]:
        def listener(*args: Any) -> None:
            self.calls.append((name, *args))

        listener.__name__ = name
        return listener


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


# -- adding ------------------------------------------------------------------------------------


def test_on_and_add_listener_append_in_order(rec: Recorder) -> None:
    e = EventEmitter()
    assert EventEmitter.addListener is EventEmitter.on
    e.on("x", rec("a"))
    e.addListener("x", rec("b"))
    e.add_listener("x", rec("c"))
    assert e.emit("x", 1, "two") is True
    assert rec.calls == [("a", 1, "two"), ("b", 1, "two"), ("c", 1, "two")]


def test_prepend_listener_goes_first(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("x", rec("a"))
    e.prependListener("x", rec("b"))
    e.prepend_listener("x", rec("c"))
    e.emit("x")
    assert [c[0] for c in rec.calls] == ["c", "b", "a"]


def test_the_same_function_twice_is_called_twice(rec: Recorder) -> None:
    e = EventEmitter()
    fn = rec("a")
    e.on("x", fn).on("x", fn)
    e.emit("x")
    assert rec.calls == [("a",), ("a",)]
    assert e.listenerCount("x") == 2


def test_once_runs_once_and_is_removed_before_running(rec: Recorder) -> None:
    e = EventEmitter()
    counts: list[int] = []
    e.once("x", lambda *args: counts.append(e.listenerCount("x")))
    e.once("x", rec("a"))
    assert e.emit("x", 1) is True
    assert e.emit("x", 2) is False
    assert counts == [1]  # its own wrapper was already gone when it ran
    assert rec.calls == [("a", 1)]


def test_prepend_once_listener(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("x", rec("a"))
    e.prependOnceListener("x", rec("b"))
    e.prepend_once_listener("x", rec("c"))
    e.emit("x")
    e.emit("x")
    assert [c[0] for c in rec.calls] == ["c", "b", "a", "a"]


def test_once_listener_emitting_its_own_event_runs_once(rec: Recorder) -> None:
    e = EventEmitter()
    seen: list[int] = []

    def again(n: int) -> None:
        seen.append(n)
        e.emit("x", n + 1)

    e.once("x", again)
    e.emit("x", 0)
    assert seen == [0]


def test_any_hashable_event_name(rec: Recorder) -> None:
    e = EventEmitter()
    key = ("tuple", 1)
    e.on(key, rec("t"))
    e.on(7, rec("seven"))
    assert e.emit(key, "a") and e.emit(7)
    assert rec.calls == [("t", "a"), ("seven",)]
    assert e.eventNames() == [key, 7]


# -- removing ----------------------------------------------------------------------------------


def test_remove_listener_removes_the_most_recent_instance(rec: Recorder) -> None:
    e = EventEmitter()
    a, b = rec("a"), rec("b")
    e.on("x", a).on("x", b).on("x", a)
    e.removeListener("x", a)
    assert e.listeners("x") == [a, b]
    e.off("x", a)
    assert e.listeners("x") == [b]
    e.remove_listener("x", b)
    assert e.listeners("x") == []
    assert e.eventNames() == []


def test_remove_listener_of_unknown_event_or_function_is_a_no_op(rec: Recorder) -> None:
    e = EventEmitter()
    a = rec("a")
    assert e.removeListener("nothing", a) is e
    e.on("x", a)
    assert e.removeListener("x", rec("other")) is e
    assert e.listeners("x") == [a]


def test_once_listener_removable_by_the_original_function(rec: Recorder) -> None:
    e = EventEmitter()
    a, b = rec("a"), rec("b")
    e.once("x", a)
    e.on("x", b)
    e.once("x", a)
    e.removeListener("x", a)  # the most recent once wrapper of a
    assert [getattr(fn, "listener", fn) for fn in e.rawListeners("x")] == [a, b]
    e.removeListener("x", a)
    assert e.listeners("x") == [b]
    e.emit("x")
    assert rec.calls == [("b",)]


def test_remove_listener_event_after_removing_with_the_original_function(rec: Recorder) -> None:
    e = EventEmitter()
    a = rec("a")
    seen: list[tuple[Any, ...]] = []
    e.on("removeListener", lambda name, fn: seen.append((name, fn, e.listenerCount(name))))
    e.once("x", a)
    e.on("x", rec("b"))
    e.emit("x")  # the once wrapper removes itself: twnet passes the listener, not the wrapper
    e.on("y", a)
    e.removeListener("y", a)
    assert seen == [("x", a, 1), ("y", a, 0)]


def test_remove_all_listeners_of_one_event(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("x", rec("a")).on("y", rec("b"))
    assert e.removeAllListeners("x") is e
    assert e.eventNames() == ["y"]
    e.remove_all_listeners("nothing")
    assert e.eventNames() == ["y"]
    e.removeAllListeners()
    assert e.eventNames() == []
    assert e.emit("y") is False


def test_remove_all_listeners_emits_remove_listener_in_nodes_order(rec: Recorder) -> None:
    e = EventEmitter()
    a, b, c = rec("a"), rec("b"), rec("c")
    seen: list[tuple[Any, str]] = []

    def on_remove(name: Any, fn: Callable[..., Any]) -> None:
        seen.append((name, fn.__name__))

    def second_on_remove(name: Any, fn: Callable[..., Any]) -> None:
        pass

    e.on("x", a).once("x", b).on("y", c)
    e.on("removeListener", on_remove)
    e.on("removeListener", second_on_remove)
    e.on("z", a)
    e.removeAllListeners("x")  # last added first
    assert seen == [("x", "b"), ("x", "a")]
    seen.clear()
    e.removeAllListeners()  # events in order, 'removeListener' itself last (last added first)
    assert seen == [("y", "c"), ("z", "a"), ("removeListener", "second_on_remove")]
    assert e.eventNames() == []


def test_remove_all_listeners_from_new_listener_keeps_the_listener_being_added(
    rec: Recorder,
) -> None:
    e = EventEmitter()
    e.on("other", rec("other"))
    e.once("newListener", lambda name, fn: e.removeAllListeners())
    a = rec("a")
    e.on("x", a)
    assert e.eventNames() == ["x"]
    assert e.listeners("x") == [a]
    e.emit("x")
    assert rec.calls == [("a",)]


def test_bad_listener_type_raises_err_invalid_arg_type() -> None:
    e = EventEmitter()
    for method in (e.on, e.addListener, e.once, e.prependListener, e.prependOnceListener):
        with pytest.raises(TypeError) as info:
            method("x", 5)  # type: ignore[operator]
        assert isinstance(info.value, twnet.NodeTypeError)
        assert info.value.code == "ERR_INVALID_ARG_TYPE"
        assert str(info.value) == (
            'The "listener" argument must be of type function. Received type int (5)'
        )
    with pytest.raises(TypeError) as info:
        e.removeListener("x", None)  # type: ignore[arg-type]
    assert str(info.value) == 'The "listener" argument must be of type function. Received None'
    assert e.eventNames() == []


def test_bad_listener_is_rejected_before_new_listener(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("newListener", rec("new"))
    with pytest.raises(TypeError):
        e.on("x", "not a function")  # type: ignore[arg-type]
    assert rec.calls == []


# -- emitting ----------------------------------------------------------------------------------


def test_emit_returns_whether_there_were_listeners(rec: Recorder) -> None:
    e = EventEmitter()
    assert e.emit("x") is False
    e.on("x", rec("a"))
    assert e.emit("x") is True
    e.removeAllListeners("x")
    assert e.emit("x") is False


def test_emit_passes_no_self_and_every_argument(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("x", rec("a"))
    e.emit("x")
    e.emit("x", None, 1, b"two", {"k": 3})
    assert rec.calls == [("a",), ("a", None, 1, b"two", {"k": 3})]


def test_an_exception_in_a_listener_propagates_from_emit(rec: Recorder) -> None:
    e = EventEmitter()

    def bad() -> None:
        raise KeyError("in listener")

    e.on("x", bad)
    e.on("x", rec("after"))
    with pytest.raises(KeyError):
        e.emit("x")
    assert rec.calls == []


def test_snapshot_a_removed_later_listener_still_runs_in_this_emit(rec: Recorder) -> None:
    e = EventEmitter()
    b = rec("b")
    e.on("x", lambda: e.removeListener("x", b))
    e.on("x", b)
    e.emit("x")
    assert rec.calls == [("b",)]
    e.emit("x")
    assert rec.calls == [("b",)]


def test_snapshot_a_removed_once_listener_still_runs_in_this_emit(rec: Recorder) -> None:
    # Node: the once wrapper in the emit's snapshot still calls its listener (events.js).
    e = EventEmitter()
    b = rec("b")
    e.on("x", lambda: e.removeListener("x", b))
    e.once("x", b)
    e.emit("x")
    e.emit("x")
    assert rec.calls == [("b",)]
    assert e.listenerCount("x") == 1


def test_snapshot_a_listener_added_during_emit_does_not_run(rec: Recorder) -> None:
    e = EventEmitter()
    late = rec("late")
    e.on("x", lambda: e.on("x", late))
    e.emit("x")
    assert rec.calls == []
    e.emit("x")
    assert rec.calls == [("late",)]


def test_snapshot_remove_all_listeners_during_emit(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("x", lambda: e.removeAllListeners())
    e.on("x", rec("b"))
    e.emit("x")
    assert rec.calls == [("b",)]
    assert e.emit("x") is False


# -- 'error' -----------------------------------------------------------------------------------


def test_emit_error_without_listener_raises_the_error_itself() -> None:
    e = EventEmitter()
    err = ConnectionResetError("boom")
    with pytest.raises(ConnectionResetError) as info:
        e.emit("error", err)
    assert info.value is err


def test_emit_error_with_a_listener_does_not_raise(rec: Recorder) -> None:
    e = EventEmitter()
    err = ValueError("x")
    e.on("error", rec("error"))
    assert e.emit("error", err) is True
    assert rec.calls == [("error", err)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("oops",), "Unhandled error. ('oops')"),
        ((42,), "Unhandled error. (42)"),
        (({"a": 1},), "Unhandled error. ({'a': 1})"),
        ((None,), "Unhandled error. (None)"),  # Node: "Unhandled error. (null)"
    ],
)
def test_emit_error_with_a_non_exception_raises_err_unhandled_error(
    args: tuple[Any, ...], message: str
) -> None:
    e = EventEmitter()
    with pytest.raises(twnet.NodeError) as info:
        e.emit("error", *args)
    assert info.value.code == "ERR_UNHANDLED_ERROR"
    assert str(info.value) == message
    assert info.value.message == message
    assert info.value.context is args[0]  # type: ignore[attr-defined]


def test_error_monitor_sees_errors_first_without_handling_them(rec: Recorder) -> None:
    e = EventEmitter()
    assert EventEmitter.errorMonitor is errorMonitor is twnet.errorMonitor
    e.on(errorMonitor, rec("monitor"))
    err = ValueError("x")
    with pytest.raises(ValueError):
        e.emit("error", err)
    assert rec.calls == [("monitor", err)]
    e.on("error", rec("handler"))
    assert e.emit("error", err) is True
    assert rec.calls == [("monitor", err), ("monitor", err), ("handler", err)]
    rec.calls.clear()
    assert e.emit("other") is False
    assert rec.calls == []  # the monitor hears 'error' only
    assert e.listenerCount("error") == 1
    assert e.listenerCount(errorMonitor) == 1


# -- inspecting --------------------------------------------------------------------------------


def test_listeners_unwrap_once_and_raw_listeners_do_not(rec: Recorder) -> None:
    e = EventEmitter()
    a, b = rec("a"), rec("b")
    e.on("x", a).once("x", b)
    assert e.listeners("x") == [a, b]
    raw = e.rawListeners("x")
    assert raw[0] is a
    assert raw[1] is not b
    assert raw[1].listener is b  # type: ignore[attr-defined]
    assert e.listeners("nothing") == [] and e.rawListeners("nothing") == []
    # copies, not views
    e.listeners("x").clear()
    e.rawListeners("x").clear()
    assert e.listenerCount("x") == 2


def test_calling_a_raw_once_wrapper_calls_once_and_removes_it(rec: Recorder) -> None:
    e = EventEmitter()
    a = rec("a")
    e.once("x", a)
    e.on("x", rec("b"))
    wrapper = e.rawListeners("x")[0]
    wrapper("first")
    wrapper("second")
    assert rec.calls == [("a", "first")]
    assert [fn.__name__ for fn in e.listeners("x")] == ["b"]


def test_listener_count_with_listener_argument(rec: Recorder) -> None:
    e = EventEmitter()
    a, b = rec("a"), rec("b")
    assert e.listenerCount("x") == 0
    assert e.listenerCount("x", a) == 0
    e.on("x", a).once("x", a).on("x", b)
    assert e.listenerCount("x") == 3
    assert e.listenerCount("x", a) == 2
    assert e.listener_count("x", b) == 1
    assert e.listenerCount("x", rec("c")) == 0


def test_event_names_in_order_of_first_addition(rec: Recorder) -> None:
    e = EventEmitter()
    e.on("b", rec("1")).on("a", rec("2")).on("b", rec("3")).on("c", rec("4"))
    assert e.eventNames() == ["b", "a", "c"]
    e.removeAllListeners("b")
    e.on("b", rec("5"))
    assert e.event_names() == ["a", "c", "b"]


# -- 'newListener' / 'removeListener' ----------------------------------------------------------


def test_new_listener_is_emitted_before_adding(rec: Recorder) -> None:
    e = EventEmitter()
    seen: list[tuple[Any, ...]] = []
    a, b = rec("a"), rec("b")
    e.on("newListener", lambda name, fn: seen.append((name, fn, e.listenerCount(name))))
    e.on("x", a)
    e.once("x", b)  # the listener itself, not its once wrapper
    assert seen == [("x", a, 0), ("x", b, 1)]


def test_new_listener_is_not_told_about_itself(rec: Recorder) -> None:
    e = EventEmitter()
    first = rec("first")
    e.on("newListener", first)
    assert rec.calls == []
    second = rec("second")
    e.on("newListener", second)
    assert rec.calls == [("first", "newListener", second)]


def test_listener_added_inside_new_listener_for_the_same_event_goes_before(
    rec: Recorder,
) -> None:
    e = EventEmitter()

    def on_new(name: str, fn: Any) -> None:
        if name == "x":
            e.on("x", rec("inner"))

    e.once("newListener", on_new)
    e.on("x", rec("outer"))
    e.emit("x")
    assert rec.calls == [("inner",), ("outer",)]


def test_remove_listener_is_emitted_after_removing(rec: Recorder) -> None:
    e = EventEmitter()
    seen: list[tuple[Any, ...]] = []
    a = rec("a")
    e.on("x", a)
    e.on("removeListener", lambda name, fn: seen.append((name, fn, e.listenerCount(name))))
    e.removeListener("x", a)
    e.removeListener("x", a)  # not there any more: no event
    assert seen == [("x", a, 0)]


def test_removing_the_last_remove_listener_listener_emits_nothing() -> None:
    e = EventEmitter()
    seen: list[Any] = []

    def on_remove(*args: Any) -> None:
        seen.append(args)

    e.on("removeListener", on_remove)
    e.removeListener("removeListener", on_remove)
    assert seen == []


# -- max listeners -----------------------------------------------------------------------------


def test_default_max_listeners() -> None:
    assert EventEmitter.defaultMaxListeners == 10
    e = EventEmitter()
    assert e.getMaxListeners() == 10
    assert e.setMaxListeners(3) is e
    assert e.get_max_listeners() == 3
    assert EventEmitter().getMaxListeners() == 10


def test_default_max_listeners_is_read_when_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    e = EventEmitter()
    monkeypatch.setattr(EventEmitter, "defaultMaxListeners", 2)
    assert e.getMaxListeners() == 2
    with pytest.warns(MaxListenersExceededWarning, match="MaxListeners is 2"):
        for _ in range(3):
            e.on("x", lambda: None)


def test_max_listeners_warning_once_per_event_name(recwarn: pytest.WarningsRecorder) -> None:
    e = EventEmitter()
    for _ in range(10):
        e.on("foo", lambda: None)
    assert not [w for w in recwarn if issubclass(w.category, MaxListenersExceededWarning)]
    e.on("foo", lambda: None)  # the 11th
    for _ in range(5):
        e.on("foo", lambda: None)
    for _ in range(11):
        e.once("bar", lambda: None)
    leaks = [w for w in recwarn if issubclass(w.category, MaxListenersExceededWarning)]
    assert [str(w.message) for w in leaks] == [
        "Possible EventEmitter memory leak detected. 11 foo listeners added to "
        "[EventEmitter]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit",
        "Possible EventEmitter memory leak detected. 11 bar listeners added to "
        "[EventEmitter]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit",
    ]
    assert all(w.filename == __file__ for w in leaks)  # points at the code adding listeners
    assert e.listenerCount("foo") == 16  # a warning, never an error: every listener is added
    assert e.listenerCount("bar") == 11


def test_max_listeners_warning_names_the_subclass() -> None:
    class Foo(EventEmitter):
        pass

    e = Foo().setMaxListeners(1)
    e.on("x", lambda: None)
    with pytest.warns(MaxListenersExceededWarning) as record:
        e.prependListener("x", lambda: None)
    assert len(record) == 1
    assert str(record[0].message) == (
        "Possible EventEmitter memory leak detected. 2 x listeners added to [Foo]. "
        "MaxListeners is 1. Use emitter.setMaxListeners() to increase limit"
    )
    assert issubclass(MaxListenersExceededWarning, Warning)


def test_max_listeners_zero_and_infinity_mean_unlimited() -> None:
    for limit in (0, float("inf")):
        e = EventEmitter().setMaxListeners(limit)  # type: ignore[arg-type]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for _ in range(50):
                e.on("x", lambda: None)
        assert e.listenerCount("x") == 50


def test_set_max_listeners_validates() -> None:
    e = EventEmitter()
    with pytest.raises(twnet.NodeRangeError) as range_info:
        e.setMaxListeners(-1)
    assert range_info.value.code == "ERR_OUT_OF_RANGE"
    assert str(range_info.value) == (
        'The value of "setMaxListeners" is out of range. It must be >= 0. Received -1'
    )
    with pytest.raises(twnet.NodeTypeError) as type_info:
        e.setMaxListeners("a")  # type: ignore[arg-type]
    assert type_info.value.code == "ERR_INVALID_ARG_TYPE"
    assert str(type_info.value) == (
        "The \"setMaxListeners\" argument must be of type number. Received type str ('a')"
    )
    with pytest.raises(twnet.NodeTypeError):
        e.setMaxListeners(True)
    with pytest.raises(twnet.NodeRangeError):
        e.setMaxListeners(float("nan"))
    assert e.getMaxListeners() == 10


# -- chaining, subclasses, twins ---------------------------------------------------------------


def test_chaining_returns_the_emitter_and_keeps_the_subclass_type() -> None:
    class Sub(EventEmitter):
        def extra(self) -> str:
            return "extra"

    e = Sub()

    def fn() -> None:
        pass

    chained = [
        e.on("x", fn),
        e.addListener("x", fn),
        e.prependListener("x", fn),
        e.once("x", fn),
        e.prependOnceListener("x", fn),
        e.removeListener("x", fn),
        e.off("x", fn),
        e.removeAllListeners("x"),
        e.removeAllListeners(),
        e.setMaxListeners(5),
        e.add_listener("x", fn),
        e.remove_all_listeners(),
    ]
    assert all(result is e for result in chained)
    assert e.on("x", fn).extra() == "extra"


def test_subclass_override_reaches_the_snake_twin() -> None:
    calls: list[str] = []

    class Sub(EventEmitter):
        def removeListener(self, name: Any, listener: Any) -> Sub:
            calls.append(name)
            return super().removeListener(name, listener)

    e = Sub()
    e.remove_listener("x", lambda: None)
    assert calls == ["x"]
    assert Sub.remove_listener is Sub.removeListener


def test_emitter_twins_are_the_camel_case_methods() -> None:
    for camel, twin in [
        ("addListener", "add_listener"),
        ("prependListener", "prepend_listener"),
        ("prependOnceListener", "prepend_once_listener"),
        ("removeListener", "remove_listener"),
        ("removeAllListeners", "remove_all_listeners"),
        ("rawListeners", "raw_listeners"),
        ("listenerCount", "listener_count"),
        ("eventNames", "event_names"),
        ("setMaxListeners", "set_max_listeners"),
        ("getMaxListeners", "get_max_listeners"),
    ]:
        assert getattr(EventEmitter, twin) is getattr(EventEmitter, camel)


def test_emitter_has_no_instance_dict() -> None:
    # __slots__: subclasses may add attributes, a plain EventEmitter stays small
    with pytest.raises(AttributeError):
        EventEmitter().anything = 1  # type: ignore[attr-defined]


# -- the Node cross-check ----------------------------------------------------------------------

EXPECTED = """\
onNew removeListener onRemove
  count removeListener 0
onNew a A1
  count a 0
onNew a A0
  count a 1
onNew a A2
  count a 2
onNew a Aonce0
  count a 3
listeners a [Aonce0,A0,A1,A2]
onRemove a Aonce0
  count a 3
Aonce0 1
A0 1
A1 1
onRemove a A2
  count a 2
A2 1
emit true
A0 2
A1 2
emit true
emit false
onNew b B
  count b 0
onNew b B
  count b 1
onNew b B2
  count b 2
count b B 2 all 3
onRemove b B
  count b 2
count b B 1 all 2
B x
B2 x
emit true
onRemove b B
  count b 1
count b B 0 all 1
onNew newListener inNew
  count newListener 1
onNew c C1
  count c 0
onRemove newListener inNew
  count newListener 1
inNew c C1
onNew c C0
  count c 0
onNew c C2
  count c 2
C0
C1
C2
emit true
onNew d D1
  count d 0
onNew d D2
  count d 1
onNew d D3
  count d 2
D1 1
onRemove d D2
  count d 2
onRemove d D3
  count d 1
onNew d D4
  count d 1
D2 1
D3 1
emit true
D1 2
D4 2
emit true
onNew g G
  count g 0
onRemove g G
  count g 0
G first
count g 0 emit false
onNew h H1
  count h 0
onNew h H2
  count h 1
onNew h H3
  count h 2
onRemove h H3
  count h 2
onRemove h H2
  count h 1
onRemove h H1
  count h 0
eventNames [newListener,removeListener,a,b,c,d]
onNew Symbol(events.errorMonitor) monitor
  count Symbol(events.errorMonitor) 0
onNew error onError
  count error 0
monitor oops
onError oops
emit true
onRemove error onError
  count error 0
monitor oops
thrown ERR_UNHANDLED_ERROR Unhandled error. ('oops') oops
onRemove Symbol(events.errorMonitor) monitor
  count Symbol(events.errorMonitor) 0
onNew z Z
  count z 0
onRemove newListener onNew
  count newListener 0
onRemove a A1
  count a 1
onRemove a A0
  count a 0
onRemove b B2
  count b 0
onRemove c C2
  count c 2
onRemove c C1
  count c 1
onRemove c C0
  count c 0
onRemove d D4
  count d 1
onRemove d D1
  count d 0
onRemove z Z
  count z 0
eventNames []
"""


def _fmt(value: object) -> str:
    if value is errorMonitor:
        return "Symbol(events.errorMonitor)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if callable(value):
        return str(getattr(value, "listener", value).__name__)
    return str(value)


def ordering_scenario() -> list[str]:
    """ordering.js, step by step, on twnet's EventEmitter."""
    lines: list[str] = []

    def log(*parts: object) -> None:
        lines.append(" ".join(_fmt(p) for p in parts))

    def names(fns: list[Any]) -> str:
        return "[" + ",".join(_fmt(fn) for fn in fns) + "]"

    def named(name: str, body: Callable[..., Any] = lambda *args: None) -> Callable[..., None]:
        def fn(*args: Any) -> None:
            log(name, *args)
            body(*args)

        fn.__name__ = name
        return fn

    e = EventEmitter()

    # 1.
    e.on("newListener", named("onNew", lambda ev, fn: log("  count", ev, e.listenerCount(ev))))
    e.on(
        "removeListener",
        named("onRemove", lambda ev, fn: log("  count", ev, e.listenerCount(ev))),
    )

    # 2.
    a1, a2 = named("A1"), named("A2")
    e.on("a", a1)
    e.prependListener("a", named("A0"))
    e.once("a", a2)
    e.prependOnceListener("a", named("Aonce0"))
    log("listeners a", names(e.listeners("a")))
    log("emit", e.emit("a", 1))
    log("emit", e.emit("a", 2))
    log("emit", e.emit("nobody"))

    # 3.
    b = named("B")
    e.on("b", b)
    e.once("b", b)
    e.on("b", named("B2"))
    log("count b B", e.listenerCount("b", b), "all", e.listenerCount("b"))
    e.removeListener("b", b)
    log("count b B", e.listenerCount("b", b), "all", e.listenerCount("b"))
    log("emit", e.emit("b", "x"))
    e.off("b", b)
    log("count b B", e.listenerCount("b", b), "all", e.listenerCount("b"))

    # 4.
    def in_new(ev: Any, fn: Any) -> None:
        if ev == "c":
            e.on("c", named("C0"))

    e.once("newListener", named("inNew", in_new))
    e.on("c", named("C1"))
    e.on("c", named("C2"))
    log("emit", e.emit("c"))

    # 5.
    d2, d3 = named("D2"), named("D3")
    first = [True]

    def d1_body(*args: Any) -> None:
        if first[0]:
            first[0] = False
            e.removeListener("d", d2)
            e.removeListener("d", d3)
            e.on("d", named("D4"))

    e.on("d", named("D1", d1_body))
    e.on("d", d2)
    e.once("d", d3)
    log("emit", e.emit("d", 1))
    log("emit", e.emit("d", 2))

    # 6.
    e.once("g", named("G"))
    raw = e.rawListeners("g")[0]
    raw("first")
    raw("second")
    log("count g", e.listenerCount("g"), "emit", e.emit("g", "third"))

    # 7.
    e.on("h", named("H1"))
    e.once("h", named("H2"))
    e.on("h", named("H3"))
    e.removeAllListeners("h")
    log("eventNames", names(e.eventNames()))

    # 8.
    monitor = named("monitor")
    e.on(errorMonitor, monitor)
    e.on("error", named("onError"))
    log("emit", e.emit("error", "oops"))
    e.removeAllListeners("error")
    try:
        e.emit("error", "oops")
    except twnet.NodeError as err:
        log("thrown", err.code, err.message, err.context)  # type: ignore[attr-defined]
    e.off(errorMonitor, monitor)

    # 9.
    e.on("z", named("Z"))
    e.removeAllListeners()
    log("eventNames", names(e.eventNames()))
    return lines


def test_ordering_scenario() -> None:
    assert ordering_scenario() == EXPECTED.splitlines()


def test_node_still_prints_expected() -> None:
    node = find_node((22, 0, 0))
    if node is None:
        pytest.skip("no Node >= 22 found (set TWNET_NODE)")
    out = subprocess.run(
        [node, "ordering.js"],
        cwd=SCENARIOS,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    ).stdout
    assert out.splitlines() == EXPECTED.splitlines()


def test_bound_methods_are_removed_by_an_equal_bound_method() -> None:
    # obj.method is a new object at each access: off() with a fresh one must still remove it.
    class Target:
        def __init__(self) -> None:
            self.calls = 0

        def handler(self) -> None:
            self.calls += 1

    emitter = EventEmitter()
    target, other = Target(), Target()
    emitter.on("x", target.handler)
    emitter.on("x", other.handler)
    emitter.once("y", target.handler)
    assert emitter.listenerCount("x", target.handler) == 1
    emitter.off("x", target.handler)
    emitter.removeListener("y", target.handler)
    emitter.emit("x")
    emitter.emit("y")
    assert (target.calls, other.calls) == (0, 1)
    assert emitter.listenerCount("x") == 1
