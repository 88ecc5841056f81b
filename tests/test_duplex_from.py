"""``Duplex.from`` (Node 24's duplexify) and what ``pipeline`` does with it: every form of
body, and the unhappy paths — an error on either side of a ``{readable, writable}`` pair, the
destruction of either half or of the Duplex, a body generator that raises, a consumer that
leaves early, an AbortSignal. The parity scenarios stream_duplex_from*.js/.py show the same
against Node 24."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer

from twnet import AbortController
from twnet._runtime import drain_ticks
from twnet.stream import Duplex, PassThrough, Readable, Writable, pipeline, promises
from twnet.testing import capture_failures


def events_of(stream: Any, log: list[Any], tag: str = "") -> None:
    for name in ("end", "finish", "error", "close"):
        stream.on(name, lambda *args, name=name: log.append((tag + name, *args)))


def sink(out: list[Any], **options: Any) -> Writable:
    return Writable(objectMode=True, write=lambda self, c, e, cb: (out.append(c), cb()), **options)


# -- the forms -------------------------------------------------------------------------------


def test_from_is_getattr_from_and_a_duplex_is_itself() -> None:
    assert getattr(Duplex, "from") is Duplex.from_
    assert Duplex.from_ is not Readable.from_
    p = PassThrough()
    assert Duplex.from_(p) is p


def test_a_readable_gives_a_readable_only_duplex() -> None:
    r = Readable.from_(["a", "b"])
    d = Duplex.from_(r)
    assert (d.readable, d.writable, d.readableObjectMode) == (True, False, True)
    log: list[Any] = []
    d.on("data", log.append)
    events_of(d, log)
    drain_ticks()
    assert log == ["a", "b", ("end",), ("close",)]
    assert r.destroyed


def test_a_writable_gives_a_writable_only_duplex_that_forwards_writes_and_end() -> None:
    got: list[Any] = []
    w = Writable(write=lambda self, c, e, cb: (got.append(c), cb()))
    d = Duplex.from_(w)
    assert (d.readable, d.writable, d.writableHighWaterMark) == (False, True, 64 * 1024)
    log: list[Any] = []
    events_of(d, log)
    d.write(b"abc")
    d.end(b"z")
    drain_ticks()
    assert got == [b"abc", b"z"] and w.writableFinished
    assert log == [("finish",), ("close",)]


def test_an_iterable_and_a_string() -> None:
    d = Duplex.from_(iter(["x", "y"]))
    assert (d.readable, d.writable, d.readableHighWaterMark) == (True, False, 1)
    got: list[Any] = []
    d.on("data", got.append)
    s = Duplex.from_("hello")
    s.on("data", got.append)
    drain_ticks()
    assert got == ["x", "hello", "y"] or sorted(got) == ["hello", "x", "y"]
    assert d.destroyed and s.destroyed


def test_awaitables_are_promises() -> None:
    got: list[Any] = []
    ok = Duplex.from_(defer.succeed("val"))
    assert (ok.readable, ok.writable) == (True, False)
    ok.on("data", got.append)
    nothing = Duplex.from_(defer.succeed(None))
    nothing.on("data", got.append)
    log: list[Any] = []
    events_of(nothing, log, "n:")
    error = RuntimeError("rejected")
    bad = Duplex.from_(defer.fail(error))
    events_of(bad, log, "b:")

    async def later() -> str:
        return "from a coroutine"

    co = Duplex.from_(later())
    co.on("data", got.append)
    drain_ticks()
    assert got == ["val", "from a coroutine"]
    assert ("n:end",) in log and ("b:error", error) in log and ("b:close",) in log
    # Readable.from takes no Promise (Python can iterate a Deferred: it must not)
    with pytest.raises(TypeError) as info:
        Readable.from_(defer.succeed(1))
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"


def test_readable_from_awaits_awaitable_items_of_a_sync_iterable() -> None:
    waiting: defer.Deferred[str] = defer.Deferred()
    r = Readable.from_(["a", waiting, "c"])
    got: list[Any] = []
    r.on("data", got.append)
    drain_ticks()
    assert got == ["a"]
    waiting.callback("b")
    drain_ticks()
    assert got == ["a", "b", "c"] and r.readableEnded


def test_an_async_generator_function_transforms_what_is_written() -> None:
    seen_signal: list[Any] = []

    async def upper(source: Any, options: dict[str, Any]) -> Any:
        seen_signal.append(options["signal"])
        async for chunk in source:
            yield chunk.upper()

    d = Duplex.from_(upper)
    assert (d.readable, d.writable, d.readableObjectMode, d.writableObjectMode) == (
        True,
        True,
        True,
        True,
    )
    got: list[Any] = []
    log: list[Any] = []
    d.on("data", got.append)
    events_of(d, log)
    callbacks: list[Any] = []
    d.write("a", None, callbacks.append)
    d.write("b", None, callbacks.append)
    d.end()
    drain_ticks()
    assert got == ["A", "B"] and callbacks == [None, None]
    assert log == [("end",), ("finish",), ("close",)]
    assert seen_signal[0].aborted  # the destroy that follows the end aborts it, as in Node


def test_an_async_function_consumes_and_finishes_when_it_returns() -> None:
    got: list[Any] = []

    async def consume(source: Any, options: Any) -> None:
        async for chunk in source:
            got.append(chunk)

    d = Duplex.from_(consume)
    assert (d.readable, d.writable) == (False, True)
    log: list[Any] = []
    events_of(d, log)
    d.write("p")
    d.end("q")
    drain_ticks()
    assert got == ["p", "q"] and log == [("finish",), ("close",)]


def test_an_async_function_returning_a_value_is_node_s_unhandled_rejection() -> None:
    async def returns(source: Any, options: Any) -> int:
        return 5

    with capture_failures() as failures:
        d = Duplex.from_(returns)
        drain_ticks()
    assert [getattr(f.value, "code", None) for f in failures] == ["ERR_INVALID_RETURN_VALUE"]
    assert "Expected nully" in str(failures[0].value)
    d.destroy()
    drain_ticks()


_BODY = 'The "body" argument must be of type function or an instance of Blob'


@pytest.mark.parametrize("bad", [None, 5, True, {}, {"readable": 5}, object()])
def test_what_duplex_from_refuses(bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        Duplex.from_(bad)
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
    assert str(info.value).startswith(_BODY)


def test_a_function_returning_neither_iterable_nor_awaitable() -> None:
    with pytest.raises(TypeError) as info:
        Duplex.from_(lambda source, options: 42)
    assert getattr(info.value, "code", None) == "ERR_INVALID_RETURN_VALUE"
    assert str(info.value).startswith(
        'Expected Iterable, AsyncIterable or AsyncFunction to be returned from the "body" function'
    )


def test_a_pair_of_none_is_a_duplex_with_both_sides_closed() -> None:
    d = Duplex.from_({"readable": None})
    assert (d.readable, d.writable, d.destroyed) == (False, False, False)


# -- pairs: errors and destruction on each side ----------------------------------------------


def pair() -> tuple[PassThrough, PassThrough, Duplex, list[Any]]:
    r, w = PassThrough(), PassThrough()
    d = Duplex.from_({"readable": r, "writable": w})
    log: list[Any] = []
    events_of(d, log)
    r.on("close", lambda: log.append(("r close", r.errored)))
    w.on("close", lambda: log.append(("w close", w.errored)))
    return r, w, d, log


def test_pair_moves_data_both_ways() -> None:
    r, w, d, log = pair()
    assert (d.readable, d.writable) == (True, True)
    got: list[Any] = []
    written: list[Any] = []
    d.on("data", got.append)
    w.on("data", written.append)
    r.end(b"from r")
    d.end(b"to w")
    drain_ticks()
    assert got == [b"from r"] and written == [b"to w"]
    assert ("end",) in log and ("finish",) in log and log[-1] == ("close",)


def test_pair_readable_side_error_destroys_the_other_side_and_the_duplex() -> None:
    r, w, d, log = pair()
    error = RuntimeError("r failed")
    r.destroy(error)
    drain_ticks()
    assert ("error", error) in log and log[-1] == ("close",)
    assert w.destroyed and w.errored is error and d.errored is error


def test_pair_writable_side_error_destroys_the_other_side_and_the_duplex() -> None:
    error = RuntimeError("w failed")
    w = Writable(write=lambda self, c, e, cb: cb(error))
    r = PassThrough()
    d = Duplex.from_({"readable": r, "writable": w})
    log: list[Any] = []
    events_of(d, log)
    callbacks: list[Any] = []
    d.write(b"x", None, callbacks.append)
    drain_ticks()
    assert ("error", error) in log and log[-1] == ("close",)
    assert r.destroyed and r.errored is error


def test_destroying_the_duplex_destroys_both_halves_with_an_abort_error() -> None:
    r, w, d, log = pair()
    d.destroy()
    drain_ticks()
    assert getattr(r.errored, "code", None) == "ABORT_ERR"
    assert getattr(w.errored, "code", None) == "ABORT_ERR"
    assert [entry[0] for entry in log] == ["w close", "r close", "error", "close"]


@pytest.mark.parametrize("half", ["readable", "writable"])
def test_destroying_one_half_is_a_premature_close(half: str) -> None:
    r, w, d, log = pair()
    (r if half == "readable" else w).destroy()
    drain_ticks()
    other = w if half == "readable" else r
    assert getattr(d.errored, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"
    assert getattr(other.errored, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"
    assert log[-1] == ("close",)


def test_pair_waits_for_the_writable_half_to_drain() -> None:
    callbacks: list[Any] = []
    w = Writable(highWaterMark=2, write=lambda self, c, e, cb: callbacks.append(cb))
    d = Duplex.from_({"writable": w})
    done: list[Any] = []
    d.write(b"aaaa", None, done.append)
    drain_ticks()
    assert done == [] and len(callbacks) == 1  # w is past its mark: d waits for 'drain'
    callbacks.pop()()
    drain_ticks()
    assert done == [None]


# -- function bodies: raising, leaving early, aborting --------------------------------------


def test_a_body_generator_that_raises_fails_the_duplex_and_the_pending_write() -> None:
    error = RuntimeError("gen raised")

    async def body(source: Any, options: Any) -> Any:
        async for chunk in source:
            if chunk == "bad":
                raise error
            yield chunk

    d = Duplex.from_(body)
    got: list[Any] = []
    log: list[Any] = []
    d.on("data", got.append)
    events_of(d, log)
    callbacks: list[Any] = []
    d.write("ok")
    d.write("bad")
    d.write("later", None, callbacks.append)
    drain_ticks()
    assert got == ["ok"] and callbacks == [error]
    assert log == [("error", error), ("close",)]


def test_a_consumer_leaving_early_closes_the_generator() -> None:
    steps: list[str] = []

    def gen() -> Any:
        try:
            for item in ("p", "q", "r"):
                steps.append(item)
                yield item
        finally:
            steps.append("finally")

    d = Duplex.from_(gen())

    def first(chunk: Any) -> None:
        steps.append("data " + chunk)
        d.destroy()

    d.once("data", first)
    drain_ticks()
    # Node 24 too: 'q' is pulled before 'p' reaches the listener, 'r' never
    assert steps == ["p", "q", "data p", "finally"] and d.destroyed


def test_destroy_while_the_body_waits_aborts_its_signal_and_closes_it() -> None:
    seen: list[Any] = []

    async def body(source: Any, options: Any) -> Any:
        options["signal"].addEventListener("abort", lambda *_: seen.append("aborted"))
        try:
            async for chunk in source:
                yield chunk
        finally:
            seen.append("finally")

    d = Duplex.from_(body)
    got: list[Any] = []
    d.on("data", got.append)
    d.write("1")
    drain_ticks()
    d.destroy()
    drain_ticks()
    assert got == ["1"] and seen == ["aborted", "finally"] and d.closed


@pytest_twisted.ensureDeferred
async def test_abort_signal_through_a_pipeline_of_duplex_from() -> None:
    controller = AbortController()
    signals: list[Any] = []

    async def body(source: Any, options: Any) -> Any:
        signals.append(options["signal"])
        async for chunk in source:
            yield chunk

    def write(self: Writable, chunk: Any, enc: Any, cb: Any) -> None:
        if chunk == "e1":
            controller.abort()
        cb()

    with pytest.raises(Exception) as info:
        await promises.pipeline(
            Readable.from_(["e1", "e2", "e3"]),
            Duplex.from_(body),
            Writable(objectMode=True, write=write),
            {"signal": controller.signal},
        )
    assert getattr(info.value, "code", None) == "ABORT_ERR"
    assert signals[0].aborted


# -- pipeline --------------------------------------------------------------------------------


def test_a_writable_as_pipeline_source_is_made_a_duplex() -> None:
    w = Writable(write=lambda self, c, e, cb: cb())
    out: list[Any] = []
    dest = sink(out)
    results: list[Any] = []
    with capture_failures() as failures:
        assert pipeline(w, dest, results.append) is dest
        drain_ticks()
    # Node: the Duplex's closed readable side is an empty source; the pipeline succeeds and
    # the Writable, destroyed by it, takes the Duplex down with an error nobody listens to
    assert results == [None] and out == [] and dest.writableFinished and w.destroyed
    assert [getattr(f.value, "code", None) for f in failures] == ["ERR_STREAM_DESTROYED"]


def test_a_pair_as_pipeline_source_pumps_its_readable_side() -> None:
    out: list[Any] = []
    results: list[Any] = []
    pipeline({"readable": Readable.from_(["p1", "p2"])}, sink(out), results.append)
    pr = Readable.from_(["t1"])
    pipeline({"readable": pr, "writable": PassThrough()}, sink(out), results.append)
    drain_ticks()
    assert sorted(out) == ["p1", "p2", "t1"] and results == [None, None]


def test_a_pair_after_the_source_is_node_s_uncaught_get_writer_error() -> None:
    results: list[Any] = []
    source, pr, pw, out = Readable.from_(["x"]), PassThrough(), PassThrough(), sink([])
    with capture_failures() as failures:
        pipeline(source, {"readable": pr, "writable": pw}, out, results.append)
        drain_ticks()
        assert [str(f.value) for f in failures] == ["writable.getWriter is not a function"]
        assert results == []
        # the pair's readable side is still pumped into the sink (as in Node): end it
        pr.end()
        source.destroy()
        pw.destroy()
        drain_ticks()
    assert out.writableFinished and results == []


@pytest_twisted.ensureDeferred
async def test_a_last_function_stage_may_return_an_awaitable() -> None:
    async def total(source: Any, options: Any) -> int:
        count = 0
        async for chunk in source:
            count += chunk
        return count

    assert await promises.pipeline(Readable.from_([1, 2, 3]), total) == 6
    called: defer.Deferred[Any] = defer.Deferred()
    pipeline(Readable.from_([4]), total, lambda *args: called.callback(args))
    assert await called == (None, 4)
    with pytest.raises(TypeError) as info:
        pipeline(Readable.from_([1]), lambda source, options: 42, lambda err=None: None)
    assert "AsyncIterable or Promise" in str(info.value)
