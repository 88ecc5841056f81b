"""The public stream and events modules (``twnet.stream``, ``twnet.events``): hooks in both
forms, object mode, ``_construct``, Transform back-pressure, ``Readable.from_``, ``pipeline``
and ``finished`` in their awaitable forms, ``events.on`` — in Twisted coroutines, and a
Transform between two real loopback sockets with a slow reader."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer

import twnet as net
from twnet import AbortController, EventEmitter, events
from twnet._runtime import drain_ticks
from twnet.stream import (
    Duplex,
    PassThrough,
    Readable,
    Transform,
    Writable,
    duplexPair,
    finished,
    pipeline,
    promises,
)

# -- hooks and modes -------------------------------------------------------------------------


def test_option_hooks_are_bound_to_the_stream() -> None:
    seen: list[Any] = []

    def write(self: Writable, chunk: bytes, encoding: str, callback: Any) -> None:
        seen.append((self, chunk, encoding))
        callback()

    w = Writable(write=write)
    w.write("hé")
    assert seen == [(w, "hé".encode(), "buffer")]
    assert Writable({"write": 42})._write.__func__ is Writable._write  # not callable: ignored


def test_writev_gets_node_shaped_entries_while_a_write_is_in_flight() -> None:
    pending: list[Any] = []
    batches: list[list[dict[str, Any]]] = []

    class Sink(Writable):
        def _write(self, chunk: Any, encoding: str | None, callback: Any) -> None:
            pending.append(callback)

        def _writev(self, chunks: list[dict[str, Any]], callback: Any) -> None:
            batches.append(chunks)
            callback()

    s = Sink(decodeStrings=False)
    s.write("a")
    s.write(b"b")
    s.write("c", "latin1")
    pending.pop()()
    assert batches == [
        [{"chunk": b"b", "encoding": "buffer"}, {"chunk": "c", "encoding": "latin1"}]
    ]


def test_object_mode_counts_chunks_and_refuses_none() -> None:
    r = Readable(objectMode=True, read=lambda self, size: None)
    assert r.readableHighWaterMark == 16
    for item in range(16):
        more = r.push({"n": item})
    assert more is False and r.readableLength == 16
    assert r.read() == {"n": 0}
    w = Writable(objectMode=True, write=lambda self, c, e, cb: cb())
    with pytest.raises(TypeError) as info:
        w.write(None)
    assert getattr(info.value, "code", None) == "ERR_STREAM_NULL_VALUES"
    d = Duplex(readableObjectMode=True, read=lambda self, size: None)
    assert (d.readableObjectMode, d.writableObjectMode) == (True, False)
    assert d.writableHighWaterMark == 64 * 1024


def test_construct_holds_writes_reads_and_destroy_until_done() -> None:
    log: list[str] = []
    done: list[Any] = []

    class Slow(Duplex):
        def _construct(self, callback: Any) -> None:
            log.append("construct")
            done.append(callback)

        def _read(self, size: int) -> None:
            log.append("read")
            self.push(None)

        def _write(self, chunk: Any, encoding: str | None, callback: Any) -> None:
            log.append(f"write {chunk!r}")
            callback()

        def _final(self, callback: Any) -> None:
            log.append("final")
            callback()

    s = Slow()
    s.write(b"x")
    s.end()
    s.resume()
    drain_ticks()
    assert log == ["construct"]
    done[0]()
    drain_ticks()
    assert log[0] == "construct" and {"read", "write b'x'", "final"} <= set(log[1:])


def test_construct_failure_destroys_and_a_held_destroy_runs_after_it() -> None:
    errors: list[BaseException] = []
    s = Writable(construct=lambda self, cb: cb(ValueError("no")), write=lambda *a: None)
    s.on("error", errors.append)
    drain_ticks()
    assert [str(e) for e in errors] == ["no"] and s.destroyed
    order: list[str] = []
    waiting: list[Any] = []

    def destroy(self: Writable, err: Any, cb: Any) -> None:
        order.append("destroy")
        cb(err)

    t = Writable(construct=lambda self, cb: waiting.append(cb), destroy=destroy)
    t.on("close", lambda: order.append("close"))
    drain_ticks()
    t.destroy()
    drain_ticks()
    assert order == []
    waiting[0]()
    drain_ticks()
    assert order == ["destroy", "close"]


def test_transform_waits_for_the_reader() -> None:
    """A Transform completes a write only while its readable buffer has room."""
    t = Transform(highWaterMark=4, transform=lambda self, c, e, cb: cb(None, c * 2))
    calls: list[Any] = []
    for _ in range(4):
        t.write(b"ab", lambda err: calls.append(err))
    drain_ticks()
    assert t.readableLength >= 4 and len(calls) < 4 and t.writableLength > 0
    while t.read() is not None:
        drain_ticks()
    drain_ticks()
    assert calls == [None] * 4


def test_passthrough_and_duplex_pair() -> None:
    a, b = duplexPair()
    got: list[bytes] = []
    b.pipe(PassThrough()).on("data", got.append)
    a.write(b"one")
    a.end(b"two")
    drain_ticks()
    assert b"".join(got) == b"onetwo"


def test_readable_from_is_getattr_from() -> None:
    assert getattr(Readable, "from") is Readable.from_
    with pytest.raises(TypeError):
        Readable.from_(5)


# -- awaitable forms, in Twisted coroutines ------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_promises_pipeline_and_finished() -> None:
    out: list[bytes] = []
    sink = Writable(write=lambda self, c, e, cb: (out.append(c), cb()))
    await promises.pipeline(
        Readable.from_([b"a", b"b"]),
        Transform(transform=lambda self, c, e, cb: cb(None, c.upper())),
        sink,
    )
    assert out == [b"A", b"B"]
    failing = Transform(transform=lambda self, c, e, cb: cb(RuntimeError("bad")))
    source = Readable.from_([b"x"])
    with pytest.raises(RuntimeError, match="bad"):
        await promises.pipeline(source, failing, PassThrough())
    assert source.destroyed and failing.destroyed
    p = PassThrough()
    p.end(b"z")
    p.resume()
    await promises.finished(p)
    q = PassThrough()
    q.destroy()
    with pytest.raises(Exception) as info:
        await promises.finished(q)
    assert getattr(info.value, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"


_BODY = (
    'The "body" argument must be of type function or an instance of Blob, ReadableStream, '
    "WritableStream, Stream, Iterable, AsyncIterable, or Promise or { readable, writable } pair."
)


@pytest.mark.parametrize("bad", [None, {}, 5, {"readable": 1}])
def test_pipeline_refuses_what_duplex_from_refuses_with_nodes_body_error(bad: Any) -> None:
    # Node 24: pipeline(x, dest, cb) / pipeline(src, x, cb) -> Duplex.from(x) throws 'body'
    for streams in ((bad, Writable()), (Readable(), bad)):
        with pytest.raises(TypeError) as info:
            pipeline(*streams, lambda err=None: None)
        assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
        assert str(info.value).startswith(_BODY)


@pytest_twisted.ensureDeferred
async def test_pipeline_pumps_an_iterable_and_reports_a_bad_destination_to_the_callback() -> None:
    # Node's pumpToNode: an iterable source is written item by item; a write or end that
    # fails goes to the callback (or the rejection), never out as an uncaught error.
    out: list[bytes] = []
    sink = Writable(write=lambda self, c, e, cb: (out.append(c), cb()))
    await promises.pipeline([b"a", "b"], sink)
    assert out == [b"a", b"b"] and sink.writableFinished
    with pytest.raises(TypeError, match=r"^writable\.end is not a function$"):
        await promises.pipeline([], Readable())
    with pytest.raises(TypeError, match=r"^writable\.write is not a function$"):
        await promises.pipeline([b"x"], Readable())
    with pytest.raises(TypeError) as info:
        await promises.pipeline([True], Writable())  # Node: the write throws, it rejects
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
    # a list after the first stage is made a stream (Duplex.from): accepted
    assert isinstance(pipeline([], [], lambda err=None: None), Readable)


@pytest_twisted.ensureDeferred
async def test_promises_finished_checks_the_signal_before_the_stream() -> None:
    with pytest.raises(TypeError, match=r'"options\.signal" property'):
        await promises.finished([], {"signal": []})


def test_readable_pipe_options_that_are_no_dict_mean_the_default() -> None:
    # Node reads options?.end: a list or a number has none, so the destination is ended
    src, out = PassThrough(), PassThrough()
    assert src.pipe(out, [False]) is out
    src.end(b"x")
    drain_ticks()
    assert out.writableEnded


@pytest_twisted.ensureDeferred
async def test_readable_from_async_generator_awaiting_deferreds() -> None:
    async def numbers() -> Any:
        for n in range(3):
            await defer.succeed(None)
            yield n

    got: list[int] = []
    r = Readable.from_(numbers())
    r.on("data", got.append)
    await events.once(r, "end")
    assert got == [0, 1, 2]


def test_finished_cleanup_and_bad_callback() -> None:
    s = PassThrough()
    calls: list[Any] = []
    cleanup = finished(s, calls.append)
    cleanup()
    s.destroy()
    drain_ticks()
    assert calls == []
    with pytest.raises(TypeError):
        finished(s, None)
    with pytest.raises(TypeError):
        pipeline(PassThrough(), PassThrough())


@pytest_twisted.ensureDeferred
async def test_events_on_in_a_twisted_coroutine() -> None:
    ee = EventEmitter()
    ee.emit("x", 1)  # before: not seen
    it = events.on(ee, "x")
    ee.emit("x", 2, "b")
    ee.emit("x", 3)
    got = []
    with pytest.raises(ValueError, match="stop"):
        async for args in it:
            got.append(args)
            if len(got) == 1:
                ee.emit("x", 4)
                ee.emit("error", ValueError("stop"))  # raised after the buffered ones
    assert got == [[2, "b"], [3], [4]]
    assert ee.listenerCount("x") == 0 and ee.listenerCount("error") == 0


@pytest_twisted.ensureDeferred
async def test_events_on_raises_the_error_and_cleans_up() -> None:
    ee = EventEmitter()
    it = net.on(ee, "x")
    ee.emit("error", ValueError("boom"))
    with pytest.raises(ValueError, match="boom"):
        await it.__anext__()
    assert ee.listenerCount("x") == 0 and ee.listenerCount("error") == 0


@pytest_twisted.ensureDeferred
async def test_events_on_signal_close_and_cancel() -> None:
    ee = EventEmitter()
    ac = AbortController()
    it = events.on(ee, "x", signal=ac.signal, close=["end"])
    waiting = it.__anext__()
    ac.abort("why")
    with pytest.raises(Exception) as info:
        await waiting
    assert info.value.code == "ABORT_ERR" and info.value.cause == "why"  # type: ignore[attr-defined]
    assert ee.listenerCount("x") == 0
    it2 = events.on(ee, "x", close=["end"])
    ee.emit("end")
    with pytest.raises(StopAsyncIteration):
        await it2.__anext__()
    it3 = events.on(ee, "x")
    pending = it3.__anext__()
    pending.cancel()
    assert ee.listenerCount("x") == 0
    pending.addErrback(lambda f: None)


def test_events_on_pauses_past_the_high_water_mark() -> None:
    r = PassThrough()
    it = events.on(r, "data", highWaterMark=2, lowWaterMark=1)
    for chunk in (b"a", b"b", b"c"):
        r.write(chunk)
        drain_ticks()
    assert r.isPaused()
    it.__anext__()
    it.__anext__()
    assert r.isPaused()  # one event still waits: not below lowWaterMark
    it.__anext__()
    drain_ticks()
    assert not r.isPaused()
    it.aclose()
    assert r.listenerCount("data") == 0


def test_events_module_names() -> None:
    assert events.once is net.once and events.on is net.on
    assert events.errorMonitor is EventEmitter.errorMonitor
    assert events.get_event_listeners is events.getEventListeners
    before = events.defaultMaxListeners
    events.setMaxListeners(3)
    try:
        assert EventEmitter.defaultMaxListeners == 3 == events.defaultMaxListeners
    finally:
        events.defaultMaxListeners = before
    assert events.captureRejections is False
    with pytest.raises(TypeError):
        events.captureRejections = 1  # type: ignore[assignment]


# -- a Transform between two sockets ---------------------------------------------------------

TOTAL = 16 << 20
CHUNK = b"abcdefgh" * 8192  # 64 KiB


@pytest_twisted.ensureDeferred
async def test_transform_between_sockets_holds_back_pressure_end_to_end() -> None:
    """``c.pipe(upper).pipe(c)`` on the server; the client writes 16 MiB without reading.
    The server's socket pauses (its 'pause' comes from the pipe's back-pressure) while every
    buffer on the way holds no more than its high-water mark and a chunk; then the client
    reads and gets every byte, transformed, in order."""
    measured: dict[str, int] = {}
    release = defer.Deferred[None]()

    def on_connection(c: net.Socket) -> None:
        upper = Transform(transform=lambda self, chunk, e, cb: cb(None, chunk.upper()))

        def on_pause() -> None:
            if not measured:
                measured["upper_in"] = upper.writableLength
                measured["upper_out"] = upper.readableLength
                measured["socket_out"] = c.writableLength
                release.callback(None)

        c.on("pause", on_pause)
        c.pipe(upper).pipe(c)

    server = net.createServer(on_connection).listen(0, "127.0.0.1")
    await events.once(server, "listening")
    client = net.connect(server.address().port, "127.0.0.1")
    await events.once(client, "connect")
    client.pause()
    received = bytearray()
    client.on("data", received.extend)
    sent = 0

    async def write_all() -> None:
        nonlocal sent
        while sent < TOTAL:
            sent += len(CHUNK)
            if not client.write(CHUNK):
                await events.once(client, "drain")
        client.end()

    writing = defer.ensureDeferred(write_all())
    await release
    hwm = 64 * 1024
    assert measured["upper_in"] <= hwm + len(CHUNK)
    assert measured["upper_out"] <= hwm + len(CHUNK)
    assert measured["socket_out"] <= hwm + len(CHUNK)
    assert sent < TOTAL  # the client was held back too
    client.resume()
    await writing
    await events.once(client, "end")
    assert len(received) == TOTAL
    assert bytes(received) == CHUNK.upper() * (TOTAL // len(CHUNK))
    client.destroy()
    server.close()
    await events.once(server, "close")


@pytest_twisted.ensureDeferred
async def test_signal_option_of_constructors_finished_and_pipeline() -> None:
    """As Node 24: an abort destroys a stream made with ``signal``, calls ``finished``'s
    callback at once with an AbortError (the stream untouched), and destroys every stream of
    an awaited pipeline."""
    ac = AbortController()
    log: list[Any] = []
    r = Readable(read=lambda self, size: None, signal=ac.signal)
    r.on("error", lambda err: log.append(("r error", err.name, err.code, err.cause)))
    r.on("close", lambda: log.append(("r close", r.destroyed)))
    p = PassThrough()
    finished(p, {"signal": ac.signal}, lambda err: log.append(("finished", err.name, err.cause)))
    a, b = PassThrough(), PassThrough()
    piped = promises.pipeline(a, b, {"signal": ac.signal})
    ac.abort("R")
    assert log == [("finished", "AbortError", "R")] and not p.destroyed
    with pytest.raises(Exception) as info:
        await piped
    assert (type(info.value).__name__, info.value.cause) == ("AbortError", "R")  # type: ignore[attr-defined]
    assert a.destroyed and b.destroyed
    assert ("r error", "AbortError", "ABORT_ERR", "R") in log and ("r close", True) in log
    late: defer.Deferred[Any] = defer.Deferred()
    finished(PassThrough(), {"signal": ac.signal}, late.callback)
    assert type(await late).__name__ == "AbortError"  # already aborted: on the next tick


# -- the module's small functions ------------------------------------------------------------


def test_add_abort_signal_is_errored_is_readable() -> None:
    from twnet import stream

    r = Readable(read=lambda self, size: None)
    seen: list[Any] = []
    r.on("error", seen.append)
    controller = AbortController()
    assert stream.addAbortSignal(controller.signal, r) is r
    assert (stream.isErrored(r), stream.isReadable(r)) == (False, True)
    controller.abort("why")
    drain_ticks()
    assert getattr(seen[0], "code", None) == "ABORT_ERR" and seen[0].cause == "why"
    assert (stream.isErrored(r), stream.isReadable(r)) == (True, False)
    assert (stream.isErrored(5), stream.isReadable({})) == (False, None)
    with pytest.raises(TypeError) as info:
        stream.add_abort_signal(5, r)
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(TypeError, match='The "stream" argument'):
        stream.addAbortSignal(controller.signal, {})


def test_default_high_water_marks_can_be_changed_and_are_validated() -> None:
    from twnet import stream

    assert (stream.getDefaultHighWaterMark(False), stream.getDefaultHighWaterMark(True)) == (
        65536,
        16,
    )
    try:
        stream.setDefaultHighWaterMark(False, 1000)
        stream.setDefaultHighWaterMark("yes", 3)  # JavaScript truthiness: object mode
        assert Readable().readableHighWaterMark == 1000
        assert Writable(objectMode=True).writableHighWaterMark == 3
        assert net.Socket().writableHighWaterMark == 1000
        for bad, error in ((-1, ValueError), (1.5, ValueError), ("5", TypeError)):
            with pytest.raises(error):
                stream.setDefaultHighWaterMark(False, bad)
        assert stream.get_default_high_water_mark(None) == 1000
    finally:
        stream.setDefaultHighWaterMark(False, 65536)
        stream.setDefaultHighWaterMark(True, 16)
