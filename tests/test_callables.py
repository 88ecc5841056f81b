"""Forgiving arity and coroutine listeners (API.md "Python-native forms").

JavaScript calls a function with whatever arguments it is given, and an ``async`` listener's
rejection goes where ``captureRejections`` says. These tests pin twnet's Python rendering of
both on the plain EventEmitter and the callback paths; the Node-shaped behaviour of
``captureRejections`` on emitters, streams and servers is compared with Node 24 by the parity
scenarios ``capture_rejections_*``.
"""

from __future__ import annotations

import functools
import gc
import os
import subprocess
import sys
import textwrap
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet.defer import Deferred, fail
from twisted.python.failure import Failure

import twnet
from twnet import EventEmitter, _callables, _runtime, events, stream
from twnet.testing import capture_failures


@pytest.fixture
def calls() -> list[Any]:
    return []


@pytest.fixture
def no_global_capture() -> Iterator[None]:
    yield
    events.captureRejections = False


def values(failures: list[Failure]) -> list[str]:
    return [repr(each.value) for each in failures]


# -- arity ------------------------------------------------------------------------------------


def test_a_listener_taking_fewer_arguments_gets_the_first_ones(calls: list[Any]) -> None:
    e = EventEmitter()
    e.on("x", lambda: calls.append("none"))
    e.on("x", lambda a: calls.append(("one", a)))
    e.on("x", lambda a, b=7, c=8: calls.append(("defaults", a, b, c)))
    assert e.emit("x", 1, 2) is True
    assert calls == ["none", ("one", 1), ("defaults", 1, 2, 8)]


def test_a_missing_required_argument_is_none(calls: list[Any]) -> None:
    e = EventEmitter()
    e.on("x", lambda a, b, c: calls.append((a, b, c)))
    e.emit("x", 1)
    e.emit("x")
    assert calls == [(1, None, None), (None, None, None)]


def test_required_keyword_only_parameters_get_none(calls: list[Any]) -> None:
    e = EventEmitter()

    def listener(a: Any, *, flag: Any, optional: Any = "kept") -> None:
        calls.append((a, flag, optional))

    e.on("x", listener)
    e.emit("x", 1, 2)
    assert calls == [(1, None, "kept")]


def test_star_args_gets_everything_and_missing_required_ones_are_none(calls: list[Any]) -> None:
    e = EventEmitter()
    e.on("x", lambda *args: calls.append(args))
    e.on("x", lambda a, b, *rest: calls.append((a, b, rest)))
    e.emit("x", 1, 2, 3)
    e.emit("x", 1)
    assert calls == [(1, 2, 3), (1, 2, (3,)), (1,), (1, None, ())]


def test_bound_methods_classes_partials_and_callable_objects(calls: list[Any]) -> None:
    class Handler:
        def __init__(self, chunk: Any = "default") -> None:
            calls.append(("class", chunk))

        def method(self) -> None:
            calls.append("method")

        def __call__(self, a: Any, b: Any) -> None:
            calls.append(("object", a, b))

    def three(prefix: Any, a: Any, b: Any) -> None:
        calls.append(("partial", prefix, a, b))

    handler = Handler()
    calls.clear()
    e = EventEmitter()
    e.on("x", Handler)
    e.on("x", handler.method)
    e.on("x", handler)
    e.on("x", functools.partial(three, "p"))
    e.emit("x", 1, 2, 3)
    assert calls == [("class", 1), "method", ("object", 1, 2), ("partial", "p", 1, 2)]


def test_builtins_get_what_their_signature_says(calls: list[Any]) -> None:
    e = EventEmitter()
    e.on("x", calls.append)  # (object, /): the first argument
    e.emit("x", 1, 2)
    assert calls == [1]


def test_a_callable_whose_signature_cannot_be_read_gets_everything() -> None:
    e = EventEmitter()
    e.on("x", int)  # a builtin type: no signature; int(1, 2) is int's own TypeError
    with pytest.raises(TypeError, match="int"):
        e.emit("x", "1", 2, 3)
    assert _callables.shape(int) is None


def test_a_type_error_raised_inside_the_listener_is_not_retried(calls: list[Any]) -> None:
    e = EventEmitter()

    def listener() -> None:
        calls.append("ran")
        raise TypeError("mine")

    e.on("x", listener)
    with pytest.raises(TypeError, match="mine"):
        e.emit("x")
    assert calls == ["ran"]


def test_a_c_function_that_fits_keeps_its_own_type_error() -> None:
    e = EventEmitter()
    e.on("x", len)  # len(5): the arguments fit, the error is len's
    with pytest.raises(TypeError, match="has no len"):
        e.emit("x", 5)


def test_the_refitted_call_raising_is_not_chained_to_the_binding_error() -> None:
    e = EventEmitter()

    def listener() -> None:
        raise ValueError("second")

    e.on("x", listener)
    with pytest.raises(ValueError, match="second") as caught:
        e.emit("x", 1)
    assert caught.value.__context__ is None


def test_twnets_emitters_report_a_refitted_listeners_exception(calls: list[Any]) -> None:
    passthrough = stream.PassThrough()

    def listener() -> None:
        raise ValueError("reported")

    passthrough.on("custom", listener)
    passthrough.on("custom", lambda: calls.append("next listener ran"))
    with capture_failures() as failures:
        passthrough.emit("custom", 1)
    assert values(failures) == ["ValueError('reported')"]
    assert calls == ["next listener ran"]


def test_the_signature_is_read_once_per_function(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Any] = []
    real = _callables._read

    def counting(fn: Any, bound: bool) -> Any:
        reads.append(fn)
        return real(fn, bound)

    monkeypatch.setattr(_callables, "_read", counting)

    class Handler:
        def on_close(self) -> None:
            pass

    e = EventEmitter()
    first, second = Handler(), Handler()
    e.on("close", first.on_close)
    e.on("close", second.on_close)
    for _ in range(3):
        e.emit("close", False)
    assert reads == [Handler.on_close]  # both objects' methods: one read of the function


def test_the_cache_keeps_no_listener_alive() -> None:
    def make() -> Any:
        return lambda: None

    listener = make()
    e = EventEmitter()
    e.on("x", listener)
    e.emit("x", 1)
    assert listener in _callables._shapes
    ref = weakref.ref(listener)
    e.removeAllListeners()
    del listener
    gc.collect()
    assert ref() is None


def test_a_listener_taking_the_arguments_as_they_are_is_called_once_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_callables, "shape", lambda fn: pytest.fail("signature read"))
    seen: list[Any] = []
    e = EventEmitter()
    e.on("data", seen.append)
    e.once("data", seen.append)
    e.emit("data", b"x")
    assert seen == [b"x", b"x"]


def test_once_and_remove_listener_match_what_was_added(calls: list[Any]) -> None:
    class Handler:
        def on_end(self) -> None:
            calls.append("end")

    handler = Handler()
    e = EventEmitter()
    e.once("end", handler.on_end)
    e.on("end", handler.on_end)
    e.removeListener("end", handler.on_end)  # the last added: the plain one
    assert e.listenerCount("end") == 1
    e.emit("end", "extra")
    assert calls == ["end"]
    assert e.listenerCount("end") == 0


def test_once_refits(calls: list[Any]) -> None:
    e = EventEmitter()
    e.once("close", lambda: calls.append("closed"))
    e.prependOnceListener("close", lambda had_error, extra: calls.append((had_error, extra)))
    e.emit("close", False)
    e.emit("close", False)
    assert calls == [(False, None), "closed"]


# -- coroutine listeners ----------------------------------------------------------------------


def test_an_async_listener_runs_at_once(calls: list[Any]) -> None:
    gate: Deferred[str] = Deferred()

    async def listener(a: Any) -> None:
        calls.append(("before await", a))
        calls.append(await gate)

    e = EventEmitter()
    e.on("x", listener)
    e.emit("x", 1)
    assert calls == [("before await", 1)]
    gate.callback("after await")
    assert calls == [("before await", 1), "after await"]


def test_an_async_listener_gets_fitted_arguments(calls: list[Any]) -> None:
    async def listener() -> None:
        calls.append("ran")

    e = EventEmitter()
    e.on("close", listener)
    e.emit("close", False)
    assert calls == ["ran"]


def test_a_rejection_without_capture_is_uncaught_before_its_first_await() -> None:
    async def listener() -> None:
        raise ValueError("before await")

    e = EventEmitter()
    e.on("x", listener)
    with capture_failures() as failures:
        assert e.emit("x") is True  # not raised from emit: it is a rejection
        _runtime.drain_ticks()
    assert values(failures) == ["ValueError('before await')"]


def test_a_rejection_without_capture_is_uncaught_after_its_first_await() -> None:
    gate: Deferred[None] = Deferred()

    async def listener() -> None:
        await gate
        raise ValueError("after await")

    e = EventEmitter()
    e.on("x", listener)
    with capture_failures() as failures:
        e.emit("x")
        assert failures == []
        gate.callback(None)
    assert values(failures) == ["ValueError('after await')"]


def test_a_returned_deferred_that_fails_is_uncaught() -> None:
    e = EventEmitter()
    e.on("x", lambda: fail(ValueError("deferred")))
    with capture_failures() as failures:
        e.emit("x")
    assert values(failures) == ["ValueError('deferred')"]


def test_other_return_values_are_ignored(calls: list[Any]) -> None:
    e = EventEmitter()
    e.on("x", lambda: e)  # as sock.end() returns the socket
    e.on("x", lambda: calls.append("next") or 5)
    assert e.emit("x") is True
    assert calls == ["next"]


def test_capture_rejections_emits_error_on_the_next_tick(calls: list[Any]) -> None:
    async def listener(a: Any, b: Any) -> None:
        raise ValueError(f"{a}{b}")

    e = EventEmitter({"captureRejections": True})
    e.on("x", listener)
    e.on("error", lambda err: calls.append(("error", repr(err))))
    e.emit("x", 1, 2)
    assert calls == []  # Node: then() and a nextTick later
    _runtime.drain_ticks()
    assert calls == [("error", "ValueError('12')")]


def test_capture_rejections_after_the_first_await(calls: list[Any]) -> None:
    gate: Deferred[None] = Deferred()

    async def listener() -> None:
        await gate
        raise ValueError("late")

    e = EventEmitter(capture_rejections=True)
    e.on("x", listener)
    e.on("error", lambda err: calls.append(repr(err)))
    e.emit("x")
    gate.callback(None)
    _runtime.drain_ticks()
    assert calls == ["ValueError('late')"]


def test_capture_rejections_with_a_failing_deferred(calls: list[Any]) -> None:
    e = EventEmitter({"captureRejections": True})
    e.on("x", lambda: fail(KeyError("d")))
    e.on("error", lambda err: calls.append(repr(err)))
    e.emit("x")
    _runtime.drain_ticks()
    assert calls == ["KeyError('d')"]


def test_capture_without_an_error_listener_is_uncaught() -> None:
    async def listener() -> None:
        raise ValueError("nobody listens")

    e = EventEmitter({"captureRejections": True})
    e.on("x", listener)
    e.emit("x")
    with capture_failures() as failures:
        _runtime.drain_ticks()  # emit('error') raises in the tick: uncaught
    assert values(failures) == ["ValueError('nobody listens')"]


def test_an_async_error_listener_that_fails_is_uncaught_even_with_capture(
    calls: list[Any],
) -> None:
    async def failing(*_: Any) -> None:
        raise ValueError("first")

    async def on_error(err: BaseException) -> None:
        calls.append(repr(err))
        raise KeyError("in the error listener")

    e = EventEmitter({"captureRejections": True})
    e.on("x", failing)
    e.on("error", on_error)
    with capture_failures() as failures:
        e.emit("x")
        _runtime.drain_ticks()
    assert calls == ["ValueError('first')"]
    assert values(failures) == ["KeyError('in the error listener')"]
    assert e._capture is True  # restored after the 'error' emission


def test_the_capture_rejection_symbol_method_gets_the_error_and_the_events_arguments(
    calls: list[Any],
) -> None:
    class Custom(EventEmitter):
        def _nodejs_rejection(self, err: BaseException, event: Any, *args: Any) -> None:
            calls.append((repr(err), event, args))

    assert events.captureRejectionSymbol == "_nodejs_rejection"
    assert repr(events.captureRejectionSymbol) == "Symbol(nodejs.rejection)"

    async def listener(*_: Any) -> None:
        raise ValueError("to the symbol")

    e = Custom({"captureRejections": True})
    e.on("x", listener)
    e.on("error", lambda err: calls.append("error emitted"))
    e.emit("x", 1, 2)
    _runtime.drain_ticks()
    assert calls == [("ValueError('to the symbol')", "x", (1, 2))]


@pytest.mark.usefixtures("no_global_capture")
def test_the_class_default_counts_when_the_emitter_is_made(calls: list[Any]) -> None:
    before = EventEmitter()
    events.captureRejections = True
    assert EventEmitter.captureRejections is True
    during = EventEmitter({"captureRejections": False})  # false leaves the default, as Node
    events.captureRejections = False
    assert (before._capture, during._capture, EventEmitter()._capture) == (False, True, False)


def test_capture_rejections_option_must_be_a_boolean() -> None:
    with pytest.raises(TypeError) as caught:
        EventEmitter({"captureRejections": 1})
    assert getattr(caught.value, "code", None) == "ERR_INVALID_ARG_TYPE"


def test_remove_listener_of_a_once_coroutine_listener(calls: list[Any]) -> None:
    async def listener(*_: Any) -> None:
        calls.append("ran")

    e = EventEmitter()
    e.once("x", listener)
    e.removeListener("x", listener)
    assert e.emit("x") is False
    e.once("x", listener)
    e.emit("x")
    e.emit("x")
    assert calls == ["ran"]
    assert e.listenerCount("x") == 0


# -- callbacks --------------------------------------------------------------------------------


def test_run_callback_fits_arguments_and_runs_coroutines(calls: list[Any]) -> None:
    async def callback() -> None:
        calls.append("async callback")

    _runtime.run_callback(lambda: calls.append("no error parameter"), None)
    _runtime.run_callback(callback, None)
    assert calls == ["no error parameter", "async callback"]


def test_run_callback_reports_a_failing_coroutine_callback() -> None:
    async def callback(err: Any) -> None:
        raise ValueError("callback")

    with capture_failures() as failures:
        _runtime.run_callback(callback, None)
    assert values(failures) == ["ValueError('callback')"]


def test_run_rejects_a_main_that_is_neither_callable_nor_awaitable() -> None:
    with pytest.raises(TypeError) as caught:
        twnet.run(5)
    assert getattr(caught.value, "code", None) == "ERR_INVALID_ARG_TYPE"


# -- twnet.run(async main), in subprocesses (a reactor cannot be restarted) -------------------

ROOT = Path(__file__).resolve().parents[1]
PRELUDE = """\
import twnet
from twisted.internet.defer import Deferred
from twisted.internet import reactor

def mark(text):
    print(text, flush=True)

"""
RUNS = {
    # awaits a real listen and connect (the Deferreds of twnet.once)
    "async_main": """
        async def main():
            server = twnet.createServer(lambda conn: conn.end(b"hi"))
            server.listen(0, "127.0.0.1")
            await twnet.once(server, "listening")
            client = twnet.connect(server.address()["port"], "127.0.0.1")
            (data,) = await twnet.once(client, "data")
            mark(f"data {data!r}")
            server.close()
            await twnet.once(server, "close")
            mark("main done")
        twnet.run(main)
        mark("returned")
    """,
    "coroutine_object": """
        async def main(value):
            gate = Deferred()
            reactor.callLater(0.01, gate.callback, value)
            mark(f"got {await gate}")
        twnet.run(main(7))
        mark("returned")
    """,
    "async_main_raises_after_await": """
        async def main():
            gate = Deferred()
            reactor.callLater(0.01, gate.callback, None)
            await gate
            raise KeyError("after await")
        try:
            twnet.run(main)
        except KeyError as error:
            mark(f"raised {error}")
    """,
    "listener_rejection_ends_the_run": """
        async def on_x():
            raise ValueError("rejected")
        def main():
            emitter = twnet.EventEmitter()
            emitter.on("x", on_x)
            emitter.emit("x")
            reactor.callLater(5, mark, "late timer")  # not waited for
        try:
            twnet.run(main)
        except ValueError as error:
            mark(f"raised {error}")
    """,
}


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[int, list[str], str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, body in RUNS.items()
    }
    results = {}
    for name, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results[name] = (proc.returncode, out.splitlines(), err)
    return results


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("async_main", ["data b'hi'", "main done", "returned"]),
        ("coroutine_object", ["got 7", "returned"]),
        ("async_main_raises_after_await", ["raised 'after await'"]),
        ("listener_rejection_ends_the_run", ["raised rejected"]),
    ],
)
def test_run_with_coroutines(
    runs: dict[str, tuple[int, list[str], str]], name: str, expected: list[str]
) -> None:
    returncode, lines, stderr = runs[name]
    assert (returncode, lines) == (0, expected), stderr


# -- sockets, servers and streams -------------------------------------------------------------


async def _wait(d: Deferred[Any]) -> Any:
    from twisted.internet import reactor

    d.addTimeout(5, reactor)
    return await d


@pytest_twisted.ensureDeferred
async def test_socket_and_server_callbacks_with_javascript_arity() -> None:
    seen: list[Any] = []
    server_side: list[Any] = []

    async def on_connection(conn: Any) -> None:
        (chunk,) = await twnet.once(conn, "data")
        conn.end(chunk.upper(), lambda: server_side.append("server end callback"))

    server = twnet.createServer(on_connection)
    server.listen(0, "127.0.0.1", lambda: seen.append("listening"))
    await _wait(twnet.once(server, "listening"))
    client = twnet.connect(server.address()["port"], "127.0.0.1", lambda: seen.append("connect"))
    closed = twnet.once(client, "close")
    client.on("close", lambda: seen.append("client close"))
    client.on("data", lambda: seen.append("data (no parameter)"))
    client.on("data", lambda chunk, extra, *, k: seen.append((chunk, extra, k)))
    client.write(b"ping", lambda: seen.append("write callback"))
    await _wait(closed)
    counted: Deferred[Any] = Deferred()
    server.getConnections(lambda: counted.callback("getConnections"))
    seen.append(await _wait(counted))
    server_closed: Deferred[Any] = Deferred()
    server.close(lambda err: server_closed.callback(err))
    assert await _wait(server_closed) is None
    not_running: Deferred[Any] = Deferred()
    server.close(lambda: not_running.callback("close when not running"))
    seen.append(await _wait(not_running))
    assert seen == [
        "listening",
        "connect",
        "write callback",
        "data (no parameter)",
        (b"PING", None, None),
        "client close",
        "getConnections",
        "close when not running",
    ]
    assert server_side == ["server end callback"]


@pytest_twisted.ensureDeferred
async def test_a_failing_async_connection_listener_without_capture_is_uncaught() -> None:
    async def on_connection(conn: Any) -> None:
        conn.end()
        raise ValueError("in the connection listener")

    server = twnet.createServer(on_connection)
    server.listen(0, "127.0.0.1")
    await _wait(twnet.once(server, "listening"))
    with capture_failures() as failures:
        client = twnet.connect(server.address()["port"], "127.0.0.1")
        client.resume()
        await _wait(twnet.once(client, "close"))
    server.close()
    await _wait(twnet.once(server, "close"))
    assert values(failures) == ["ValueError('in the connection listener')"]


def test_a_stream_with_capture_rejections_is_destroyed_by_a_failing_listener(
    calls: list[Any],
) -> None:
    passthrough = stream.PassThrough(captureRejections=True)

    async def on_data(chunk: Any) -> None:
        raise ValueError("in data")

    passthrough.on("data", on_data)
    passthrough.on("error", lambda err: calls.append(("error", repr(err))))
    passthrough.on("close", lambda: calls.append("close"))
    passthrough.write(b"x")
    _runtime.drain_ticks()
    assert passthrough.destroyed
    assert calls == [("error", "ValueError('in data')"), "close"]


def test_a_stream_without_capture_reports_a_failing_async_listener(calls: list[Any]) -> None:
    passthrough = stream.PassThrough()

    async def on_data(chunk: Any) -> None:
        raise ValueError("uncaught")

    passthrough.on("data", on_data)
    with capture_failures() as failures:
        passthrough.write(b"x")
        _runtime.drain_ticks()
    assert values(failures) == ["ValueError('uncaught')"]
    assert not passthrough.destroyed
    passthrough.destroy()
    _runtime.drain_ticks()


def test_stream_write_callbacks_and_option_hooks_with_javascript_arity(calls: list[Any]) -> None:
    async def final(self: Any, callback: Any) -> None:
        calls.append("async final")
        callback()

    writable = stream.Writable(
        write=lambda self, chunk, encoding, callback: (calls.append(chunk), callback()),
        final=final,
    )
    readable = stream.Readable(read=lambda self: calls.append("read without size"))
    writable.write(b"a", lambda: calls.append("write callback"))
    writable.end(lambda: calls.append("end callback"))
    readable.on("data", lambda: None)
    _runtime.drain_ticks()
    # Node 24 gives this order too.
    assert calls == [b"a", "async final", "write callback", "end callback", "read without size"]
    readable.destroy()
    _runtime.drain_ticks()


def test_a_failing_async_write_callback_is_uncaught_and_the_stream_goes_on(
    calls: list[Any],
) -> None:
    async def callback(err: Any) -> None:
        raise ValueError("write callback")

    writable = stream.Writable(write=lambda self, chunk, encoding, cb: cb())
    writable.on("finish", lambda: calls.append("finish"))
    with capture_failures() as failures:
        writable.write(b"a", callback)
        writable.end()
        _runtime.drain_ticks()
    assert values(failures) == ["ValueError('write callback')"]
    assert calls == ["finish"]


def test_event_target_listeners_with_javascript_arity(calls: list[Any]) -> None:
    controller = twnet.AbortController()

    class Awaitable:
        def __await__(self) -> Any:  # a value that is awaitable but no coroutine
            raise AssertionError("awaited")

    controller.signal.addEventListener("abort", lambda: calls.append("no event parameter"))
    controller.signal.addEventListener("abort", lambda event, extra: calls.append(extra))
    controller.signal.addEventListener("abort", lambda event: Awaitable())
    controller.abort()
    _runtime.drain_ticks()
    assert calls == ["no event parameter", None]


@pytest_twisted.ensureDeferred
async def test_async_timer_immediate_and_next_tick_callbacks_run(calls: list[Any]) -> None:
    done: Deferred[None] = Deferred()

    async def callback(name: str) -> None:
        calls.append(name)
        if len(calls) == 3:
            done.callback(None)

    twnet.setTimeout(callback, 1, "timeout")
    twnet.setImmediate(callback, "immediate")
    twnet.nextTick(callback, "tick")
    await _wait(done)
    assert sorted(calls) == ["immediate", "tick", "timeout"]


def test_a_failing_async_next_tick_callback_is_uncaught() -> None:
    async def callback() -> None:
        raise ValueError("in a tick")

    with capture_failures() as failures:
        twnet.nextTick(callback)
        _runtime.drain_ticks()
    assert values(failures) == ["ValueError('in a tick')"]


def test_finished_and_pipeline_callbacks_with_javascript_arity(calls: list[Any]) -> None:
    source = stream.PassThrough()
    sink = stream.PassThrough()
    stream.finished(source, lambda: calls.append("finished"))
    stream.pipeline(source, sink, lambda: calls.append("pipeline done"))
    sink.resume()
    source.end(b"x")
    for _ in range(5):
        _runtime.drain_ticks()
    assert sorted(calls) == ["finished", "pipeline done"]
