"""twnet.testing.socketPair: two Sockets over the in-memory handle, driven by a Clock.

The first part checks that the pair behaves as a loopback TCP connection does, scenario by
scenario: each runs once over the pair and once over real loopback sockets, and each socket's
own events must be the same. The rest are Socket logic tests that need no network (some
moved here from tests/test_socket.py, where they ran over loopback).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet.task import Clock

import twnet
import twnet as net
from twnet import _runtime, testing
from twnet.testing import capture_failures, record, settle, socketPair

# -- helpers --------------------------------------------------------------------------------

EVENTS = ("data", "end", "finish", "error", "close", "drain", "timeout")


def normalized(log: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The events, with consecutive 'data' joined (how bytes are cut into reads is the
    kernel's business) and errors as (code, syscall)."""
    out: list[tuple[Any, ...]] = []
    for name, *args in log:
        if name == "data" and out and out[-1][0] == "data":
            out[-1] = ("data", out[-1][1] + args[0])
        elif name == "error":
            error = args[0]
            code = getattr(error, "code", type(error).__name__)
            out.append((name, code, getattr(error, "syscall", None)))
        else:
            out.append((name, *args))
    return out


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    """Fires with the arguments of *emitter*'s next 'close' (whatever errors came first)."""
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


Scenario = Callable[[net.Socket, net.Socket], None]


def run_on_pair(scenario: Scenario, options: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    clock = Clock()
    a, b = socketPair(options, reactor=clock)
    logs = record(a, *EVENTS), record(b, *EVENTS)
    scenario(a, b)
    for _ in range(100):
        settle(clock)
        if a.closed and b.closed:
            break
        clock.advance(1)
    assert a.closed and b.closed
    assert not clock.getDelayedCalls()
    return normalized(logs[0]), normalized(logs[1])


async def run_on_loopback(scenario: Scenario, options: dict[str, Any]) -> tuple[Any, Any]:
    server = net.createServer(options)
    accepted = twnet.once(server, "connection")
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    a = net.connect({"port": server.address()["port"], "host": "127.0.0.1", **options})
    await twnet.once(a, "connect")
    (b,) = await accepted
    server.close()
    logs = record(a, *EVENTS), record(b, *EVENTS)
    closes = [closed(s) for s in (a, b)]
    scenario(a, b)
    await defer.gatherResults(closes)
    return normalized(logs[0]), normalized(logs[1])


def echo_then_end(a: net.Socket, b: net.Socket) -> None:
    b.on("data", lambda data: b.write(data.upper()))
    a.on("data", lambda data: a.end())
    a.write(b"hello")


def half_open(a: net.Socket, b: net.Socket) -> None:
    b.on("end", lambda: b.end(b"late"))
    a.end(b"bye")


def write_then_destroy(a: net.Socket, b: net.Socket) -> None:
    a.write(b"x" * 5000)
    a.destroy()


def reset(a: net.Socket, b: net.Socket) -> None:
    a.resetAndDestroy()


def destroy_with_error(a: net.Socket, b: net.Socket) -> None:
    a.on("error", lambda error: None)
    a.destroy(ValueError("boom"))


def write_to_a_destroyed_peer(a: net.Socket, b: net.Socket) -> None:
    # b half-open: it hears a's FIN ('end') and writes back twice to a socket that is gone.
    b.on("end", lambda: (b.write(b"too late"), b.write(b"again")))
    b.on("error", lambda error: None)
    a.destroy()


SCENARIOS = {
    "echo_then_end": (echo_then_end, {}),
    "half_open": (half_open, {"allowHalfOpen": True}),
    "write_then_destroy": (write_then_destroy, {}),
    "reset": (reset, {}),
    "destroy_with_error": (destroy_with_error, {}),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest_twisted.ensureDeferred
async def test_the_pair_behaves_as_loopback_tcp(name: str) -> None:
    scenario, options = SCENARIOS[name]
    over_tcp = await run_on_loopback(scenario, options)
    assert run_on_pair(scenario, options) == over_tcp


def test_scenario_logs_are_what_node_gives() -> None:
    # The loopback comparison above pins the pair to TCP; these pin both to what they are.
    a_log, b_log = run_on_pair(echo_then_end, {})
    assert a_log == [("data", b"HELLO"), ("finish",), ("end",), ("close", False)]
    assert b_log == [("data", b"hello"), ("end",), ("finish",), ("close", False)]
    a_log, b_log = run_on_pair(reset, {})
    assert a_log == [("close", False)]
    assert b_log == [("error", "ECONNRESET", "read"), ("close", True)]
    a_log, b_log = run_on_pair(half_open, {"allowHalfOpen": True})
    assert a_log == [("finish",), ("data", b"late"), ("end",), ("close", False)]
    assert b_log == [("data", b"bye"), ("end",), ("finish",), ("close", False)]


def test_bytes_to_a_destroyed_peer_reset_the_writer() -> None:
    a_log, b_log = run_on_pair(write_to_a_destroyed_peer, {"allowHalfOpen": True})
    assert a_log == [("close", False)]
    # As over Linux's loopback: the first write goes (the peer answers with a reset), the
    # next fails with EPIPE. (Not compared with a real run: when the reset arrives is the
    # kernel's timing.)
    assert b_log == [("end",), ("error", "EPIPE", "write"), ("close", True)]


# -- the pair itself ------------------------------------------------------------------------


def test_nothing_happens_until_the_clock_turns() -> None:
    clock = Clock()
    a, b = socketPair(reactor=clock)
    got = record(b, "data")
    a.write(b"ping")
    assert got == []
    settle(clock)
    assert got == [("data", b"ping")]
    assert a.bytesWritten == 4 and b.bytesRead == 4
    a.destroy()
    b.destroy()
    settle(clock)
    assert a.closed and b.closed and not clock.getDelayedCalls()


def test_pair_state_and_what_it_lacks() -> None:
    clock = Clock()
    a, b = socketPair({"allowHalfOpen": True}, reactor=clock)
    assert a.allowHalfOpen and b.allowHalfOpen
    assert not a.connecting and not a.pending and a.readyState == "open"
    assert a.address() == {} and a.remoteAddress is None and a.localPort is None
    assert a.setNoDelay(True) is a and a.setKeepAlive(True, 1000) is a  # accepted, no effect
    assert a.bufferSize == 0
    a.destroy()
    b.destroy()
    settle(clock)
    assert a.bufferSize is None and a.readyState == "closed"


def test_back_pressure_and_drain() -> None:
    clock = Clock()
    a, b = socketPair(reactor=clock)
    b.pause()
    written = 0
    while a.write(b"x" * 16384):
        written += 16384
    settle(clock)
    # The reader does not read: its end holds 64 KiB and the writer is held back.
    assert b.readableLength == 65536
    assert a.writableNeedDrain and a.bufferSize > 0
    drains = record(a, "drain")
    b.resume()
    settle(clock)
    assert drains == [("drain",)]
    assert b.bytesRead == a.bytesWritten
    a.destroy()
    b.destroy()
    settle(clock)


def test_reads_are_at_most_64_kib() -> None:
    clock = Clock()
    a, b = socketPair(reactor=clock)
    sizes: list[int] = []
    b.on("data", lambda data: sizes.append(len(data)))
    a.write(b"y" * 150_000)
    settle(clock)
    assert sizes == [65536, 65536, 150_000 - 131072]
    a.destroy()
    b.destroy()
    settle(clock)


def test_an_exception_in_a_listener_is_reported_and_the_pair_goes_on() -> None:
    clock = Clock()
    a, b = socketPair(reactor=clock)
    got = record(b, "data")

    def fail(data: bytes) -> None:
        raise RuntimeError("listener failed")

    b.on("data", fail)
    with capture_failures() as failures:
        a.write(b"1")
        settle(clock)
    assert [f.value.args for f in failures] == [("listener failed",)]
    b.removeListener("data", fail)
    a.write(b"2")
    settle(clock)
    assert got == [("data", b"1"), ("data", b"2")]
    a.destroy()
    b.destroy()
    settle(clock)


def test_settle_gives_up_on_work_that_never_ends() -> None:
    # A tick that schedules a call on the clock that queues the tick again: never settled.
    clock = Clock()

    def tick() -> None:
        clock.callLater(0, twnet.nextTick, tick)

    twnet.nextTick(tick)
    with pytest.raises(RuntimeError, match="not settled after 5 rounds"):
        settle(clock, limit=5)
    for call in clock.getDelayedCalls():
        call.cancel()
    _runtime._ticks.clear()


def test_record_shares_one_log_between_emitters() -> None:
    one, two = net.EventEmitter(), net.EventEmitter()
    log = record(one, "a", "b")
    assert record(two, "a", log=log) is log
    one.emit("a", 1, 2)
    two.emit("a")
    one.emit("b")
    two.emit("b")  # not recorded for two
    assert log == [("a", 1, 2), ("a",), ("b",)]


def test_snake_case_twin() -> None:
    assert testing.socket_pair is socketPair


@pytest_twisted.ensureDeferred
async def test_on_the_running_reactor() -> None:
    a, b = socketPair()
    got = twnet.once(b, "data")
    a.write(b"over the reactor")
    assert await got == [b"over the reactor"]
    closes = [twnet.once(s, "close") for s in (a, b)]
    a.end()
    await defer.gatherResults(closes)


# -- Socket logic, without a network --------------------------------------------------------


def test_set_encoding_multibyte_split() -> None:
    clock = Clock()
    client, conn = socketPair(reactor=clock)
    client.setEncoding("utf8")
    chunks: list[Any] = []
    client.on("data", chunks.append)
    data = "é€😀".encode()
    conn.write(data[:1])
    settle(clock)
    assert client.bytesRead == 1 and chunks == []  # half a character waits
    conn.write(data[1:4])
    conn.end(data[4:])
    ended = record(client, "end")
    settle(clock)
    assert ended == [("end",)]
    assert "".join(chunks) == "é€😀"
    assert all(isinstance(c, str) for c in chunks)
    client.destroy()
    settle(clock)


def test_set_timeout_with_clock() -> None:
    clock = Clock()
    client, conn = socketPair(reactor=clock)
    fired: list[Any] = []
    cb = lambda: fired.append("cb")  # noqa: E731
    assert client.setTimeout(1000, cb) is client
    assert client.timeout == 1000
    client.on("timeout", lambda: fired.append("timeout"))
    clock.advance(0.5)
    conn.write(b"activity")
    settle(clock)
    assert client.bytesRead == 8
    clock.advance(0.6)
    assert fired == []
    client.write(b"out")
    clock.advance(0.9)
    assert fired == []
    clock.advance(0.2)
    assert fired == ["cb", "timeout"]
    assert not client.destroyed
    clock.advance(1.0)  # one 'timeout' per idle period, as Node (the timer is not periodic)
    assert fired == ["cb", "timeout"]
    client.write(b"again")
    clock.advance(1.0)
    assert fired == ["cb", "timeout", "timeout"]
    # 0 disables and removes the callback
    client.setTimeout(1000, cb)
    client.setTimeout(0, cb)
    assert client.timeout == 0  # as Node: undefined until set, then the last value
    assert "cb" not in [getattr(f, "__name__", "") for f in client.listeners("timeout")]
    assert len(client.listeners("timeout")) == 1
    clock.advance(5)
    assert fired == ["cb", "timeout", "timeout"]
    client.setTimeout(1000)
    client.destroy()
    conn.destroy()
    settle(clock)
    assert client.closed and conn.closed
    assert not clock.getDelayedCalls()


def test_pause_resume_return_socket_and_counters() -> None:
    clock = Clock()
    client, conn = socketPair(reactor=clock)
    assert client.pause() is client and client.isPaused()
    assert client.resume() is client
    got = record(conn, "data")
    client.write("héllo")
    settle(clock)
    assert got == [("data", "héllo".encode())]
    assert client.bytesWritten == 6
    conn.write(b"12345")
    settle(clock)
    assert client.bytesRead == 5
    client.destroy()
    conn.destroy()
    settle(clock)


def test_write_after_end_and_destroyed() -> None:
    clock = Clock()
    client, conn = socketPair(reactor=clock)
    client.end()
    errors: list[Any] = []
    cbs: list[Any] = []
    client.on("error", errors.append)
    client.write(b"x", cbs.append)
    closes = record(client, "close")
    settle(clock)
    assert closes == [("close", True)]
    assert errors[0].code == "ERR_STREAM_WRITE_AFTER_END"
    assert cbs[0].code == "ERR_STREAM_WRITE_AFTER_END"
    conn.destroy()
    settle(clock)


def test_the_example_of_docs_testing() -> None:
    clock = Clock()
    client, server = socketPair(reactor=clock)
    server.on("data", lambda data: server.write(data.upper()))
    log = record(client, "data", "end", "close")
    client.write(b"hello")
    settle(clock)
    assert log == [("data", b"HELLO")]
    server.end()
    settle(clock)
    assert log[1:] == [("end",), ("close", False)]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_an_in_memory_handle_reports_its_close_once(name: str) -> None:
    scenario, options = SCENARIOS[name]
    clock = Clock()
    a, b = socketPair(options, reactor=clock)
    record(a, *EVENTS)  # (flowing, with an 'error' listener, as in run_on_pair)
    record(b, *EVENTS)
    reports: list[Any] = []
    for sock in (a, b):
        real = sock.on_close
        sock.on_close = (  # type: ignore[method-assign]
            lambda loss, _s=sock, _real=real: (reports.append(_s), _real(loss))
        )
    scenario(a, b)
    for _ in range(10):
        settle(clock)
        clock.advance(1)
    assert a.closed and b.closed
    assert reports.count(a) == 1 and reports.count(b) == 1
