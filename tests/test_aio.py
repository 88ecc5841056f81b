"""The Python-native forms (issue 14 items 3-5): ``await`` on sockets and servers,
``async for`` over sockets, streams and servers, ``async with``, ``twnet.on``.

Node-shaped behaviour is also pinned by the parity scenarios ``socket_iteration``,
``async_dispose`` and ``events_on``; these tests cover the Python-only parts (awaiting, the
cancellation of an await, listeners left behind, server iteration) and the unhappy paths.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer

import twnet
import twnet as net
from tests._sockets import next_turn
from twnet._awaitable import AwaitableDeferred
from twnet.stream import Readable

WATCHED = ("connect", "error", "close", "listening", "readable", "end", "connection")


def counts(emitter: Any) -> dict[str, int]:
    return {name: emitter.listenerCount(name) for name in WATCHED}


def closed(sock: Any) -> defer.Deferred[list[Any]]:
    """The arguments of *sock*'s 'close' (recorded from when it was tracked, if it was)."""
    tracked = _close_events.get(id(sock))
    if tracked is not None:
        return tracked[1]
    d: defer.Deferred[list[Any]] = defer.Deferred()
    sock.once("close", lambda *args: d.callback(list(args)))
    return d


_close_events: dict[int, tuple[Any, defer.Deferred[list[Any]]]] = {}


def track(sock: Any) -> Any:
    """Record *sock*'s 'close' from now on (see :func:`closed`)."""
    d: defer.Deferred[list[Any]] = defer.Deferred()
    _close_events[id(sock)] = (sock, d)

    def on_close(*args: Any) -> None:
        d.callback(list(args))

    sock.once("close", on_close)
    return sock


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def echo_server(handler: Any = None) -> net.Server:
    server: Any = net.createServer()
    server.accepted = []

    def on_connection(c: net.Socket) -> None:
        track(c)
        server.accepted.append(c)
        c.on("error", lambda err: None)
        if handler is not None:
            handler(c)

    server.on("connection", on_connection)
    return await server.listen(0, "127.0.0.1")  # type: ignore[no-any-return]


def connect(server: net.Server) -> net.Socket:
    return track(net.connect(port_of(server), "127.0.0.1"))  # type: ignore[no-any-return]


def port_of(server: net.Server) -> int:
    address = server.address()
    assert isinstance(address, dict)
    return int(address["port"])


async def shut(server: net.Server, *sockets: net.Socket) -> None:
    """Destroy the sockets and the server's connections; wait for each one's 'close', then
    for the server's."""
    everything = [*sockets, *getattr(server, "accepted", [])]
    waits = [closed(s) for s in everything]
    for s in everything:
        s.on("error", lambda err: None)
        s.destroy()
    for w in waits:
        await w
    for s in everything:
        _close_events.pop(id(s), None)
    if server.listening:
        done = twnet.once(server, "close")
        server.close()
        await done


# -- await sock / await server --------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_await_connect_returns_the_connected_socket_and_leaves_no_listener() -> None:
    server = await echo_server()
    assert server.listening and isinstance(server, net.Server)
    sock = connect(server)
    before = counts(sock)
    assert sock.connecting
    result = await sock
    assert result is sock
    assert not sock.connecting and not sock.pending and sock.remotePort == port_of(server)
    assert counts(sock) == before
    # connected: at once, again and again
    assert (await sock) is sock
    await shut(server, sock)


@pytest_twisted.ensureDeferred
async def test_await_connect_raises_the_connect_error() -> None:
    sock = net.connect(closed_port(), "127.0.0.1")
    before = counts(sock)
    with pytest.raises(Exception) as info:
        await sock
    assert getattr(info.value, "code", None) == "ECONNREFUSED"
    assert info.value.syscall == "connect"  # type: ignore[attr-defined]
    assert counts(sock) == before
    assert sock.destroyed
    # destroyed now: ERR_SOCKET_CLOSED, at once
    with pytest.raises(Exception) as again:
        await sock
    assert getattr(again.value, "code", None) == "ERR_SOCKET_CLOSED"
    assert str(again.value) == "Socket is closed"
    await next_turn()


@pytest_twisted.ensureDeferred
async def test_await_a_socket_destroyed_while_connecting() -> None:
    server = await echo_server()
    sock = connect(server)
    awaited = defer.Deferred.fromCoroutine(_await(sock))
    sock.destroy()
    with pytest.raises(Exception) as info:
        await awaited
    assert getattr(info.value, "code", None) == "ERR_SOCKET_CLOSED"
    assert sock.listenerCount("connect") == 0 and sock.listenerCount("error") == 0
    await shut(server, sock)


async def _await(awaitable: Any) -> Any:
    return await awaitable


@pytest_twisted.ensureDeferred
async def test_cancelling_an_await_removes_its_listeners() -> None:
    server = await echo_server()
    sock = connect(server)
    before = counts(sock)
    awaiting = defer.Deferred.fromCoroutine(_await(sock))
    assert counts(sock) != before  # it listens while it waits
    awaiting.cancel()
    with pytest.raises(defer.CancelledError):
        await awaiting
    assert counts(sock) == before
    assert (await sock) is sock  # the socket itself goes on connecting
    await shut(server, sock)

    idle = net.createServer()
    before = counts(idle)
    waiting = defer.Deferred.fromCoroutine(_await(idle))
    waiting.cancel()
    with pytest.raises(defer.CancelledError):
        await waiting
    assert counts(idle) == before


@pytest_twisted.ensureDeferred
async def test_await_listen_raises_the_listen_error_and_close_first() -> None:
    server = await echo_server()
    other = net.createServer()
    before = counts(other)
    with pytest.raises(Exception) as info:
        await other.listen(port_of(server), "127.0.0.1")
    assert getattr(info.value, "code", None) == "EADDRINUSE"
    assert counts(other) == before
    assert not other.listening

    third = net.createServer()
    pending = defer.Deferred.fromCoroutine(_await(third.listen(0, "127.0.0.1")))
    third.close()
    with pytest.raises(Exception) as closed_first:
        await pending
    assert getattr(closed_first.value, "code", None) == "ERR_SERVER_NOT_RUNNING"
    assert counts(third) == counts(net.createServer())
    await shut(server)


# -- async for over a socket and a stream -------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_async_for_collects_until_end_and_destroys() -> None:
    payload = [b"a" * 1000, b"b" * 70000, b"c"]

    def handler(c: net.Socket) -> None:
        for part in payload[:-1]:
            c.write(part)
        c.end(payload[-1])

    server = await echo_server(handler)
    sock = await connect(server)
    got = b""
    async for chunk in sock:
        assert isinstance(chunk, bytes) and chunk
        got += chunk
    assert got == b"".join(payload)
    assert sock.readableEnded and sock.destroyed and sock.errored is None
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_break_destroys_with_abort_error_unless_destroy_on_return_false() -> None:
    server = await echo_server(lambda c: c.write("first"))
    sock = await connect(server)
    errors: list[BaseException] = []
    sock.on("error", errors.append)
    close = closed(sock)
    async for _chunk in sock:
        break
    assert sock.destroyed and getattr(sock.errored, "code", None) == "ABORT_ERR"
    assert await close == [True]
    assert [getattr(e, "name", None) for e in errors] == ["AbortError"]

    kept = await connect(server)
    before = counts(kept)
    async for chunk in kept.iterator(destroy_on_return=False):
        assert chunk == b"first"
        break
    gc.collect()
    assert not kept.destroyed
    assert counts(kept) == before  # its listeners are gone
    kept.write("still open")
    await shut(server, kept)


@pytest_twisted.ensureDeferred
async def test_an_iterator_kept_in_a_variable_closes_with_aclose() -> None:
    server = await echo_server(lambda c: c.write("x"))
    sock = await connect(server)
    it = sock.iterator()
    async for _chunk in it:
        break
    assert not sock.destroyed  # the loop did not drop the iterator: it does not know
    await it.aclose()
    assert sock.destroyed
    with pytest.raises(StopAsyncIteration):
        await it.__anext__()
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_an_exception_in_the_body_destroys_and_propagates() -> None:
    server = await echo_server(lambda c: c.write("x"))
    sock = await connect(server)
    sock.on("error", lambda err: None)
    with pytest.raises(ZeroDivisionError):
        async for _chunk in sock:
            1 / 0  # noqa: B018
    assert sock.destroyed
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_peer_reset_mid_iteration_raises_econnreset() -> None:
    def handler(c: net.Socket) -> None:
        c.write("x")
        c.on("data", lambda *_: c.resetAndDestroy())

    server = await echo_server(handler)
    sock = await connect(server)
    chunks = []
    with pytest.raises(Exception) as info:
        async for chunk in sock:
            chunks.append(chunk)
            sock.write("ack")
    assert chunks == [b"x"]
    assert getattr(info.value, "code", None) == "ECONNRESET"
    assert sock.destroyed
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_cancelling_a_pending_next_then_leaving_the_loop() -> None:
    server = await echo_server()
    sock = await connect(server)

    async def loop() -> None:
        async for _chunk in sock:
            raise AssertionError("no data was sent")

    running = defer.Deferred.fromCoroutine(loop())
    await next_turn()
    running.cancel()
    with pytest.raises(defer.CancelledError):
        await running
    gc.collect()
    assert sock.destroyed  # the loop was left by an exception: as Node's return()
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_set_encoding_paused_and_chunks_buffered_between_iterations() -> None:
    def handler(c: net.Socket) -> None:
        c.write("é")
        c.on("data", lambda data: c.end("done") if data == b"go" else c.write(data))

    server = await echo_server(handler)
    sock = await connect(server)
    sock.setEncoding("utf8")
    sock.pause()
    text = ""
    async for chunk in sock:
        assert isinstance(chunk, str)
        text += chunk
        if text == "é":
            sock.write("go")
    assert text == "édone"
    await closed(sock)
    await shut(server)


@pytest_twisted.ensureDeferred
async def test_iterating_a_readable_stream() -> None:
    source = Readable.from_([b"one", b"two", b"three"], objectMode=True)
    assert [chunk async for chunk in source] == [b"one", b"two", b"three"]
    assert source.destroyed

    failing = Readable(read=lambda stream, size: None)
    failing.push(b"before")
    twnet.nextTick(failing.destroy, ValueError("broken"))
    seen = []
    with pytest.raises(ValueError, match="broken"):
        async for chunk in failing:
            seen.append(chunk)
    assert seen == [b"before"]

    with pytest.raises(TypeError):
        failing.iterator(42)
    await next_turn()


# -- async for conn in server ---------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_async_for_over_a_server_yields_every_connection_until_close() -> None:
    server = await echo_server()
    port = port_of(server)
    # accepted from when the loop starts: these come in while it runs
    clients = [track(net.connect(port, "127.0.0.1")) for _ in range(3)]
    for c in clients:
        c.on("error", lambda err: None)
    accepted = []
    async for conn in server:
        accepted.append(conn)
        assert isinstance(conn, net.Socket)
        if len(accepted) == 3:
            # every connection that arrived meanwhile was kept; now close the server: the
            # loop ends at its 'close', once its connections have closed
            server.close()
            for s in (*clients, *accepted):
                s.destroy()
    assert len(accepted) == 3 and accepted == server.accepted  # type: ignore[attr-defined]
    assert server.listenerCount("connection") == 1  # the test's own listener
    await shut(server, *clients)


@pytest_twisted.ensureDeferred
async def test_leaving_a_server_loop_destroys_the_connections_not_handed_out() -> None:
    server: Any = await echo_server()
    port = port_of(server)
    clients = [track(net.connect(port, "127.0.0.1")) for _ in range(2)]
    for c in clients:
        c.on("error", lambda err: None)
    async for conn in server:
        first = conn
        for _ in range(100):  # until the second one is accepted too (and buffered)
            if len(server.accepted) == 2:
                break
            await next_turn()
        break
    gc.collect()
    assert server.listening and server.listenerCount("connection") == 1  # the test's own
    assert first is server.accepted[0] and not first.destroyed
    assert server.accepted[1].destroyed  # accepted but never handed out
    await shut(server, *clients)


@pytest_twisted.ensureDeferred
async def test_server_error_raises_from_the_loop() -> None:
    server = await echo_server()
    twnet.nextTick(server.emit, "error", OSError("listen broke"))
    with pytest.raises(OSError, match="listen broke"):
        async for _conn in server:
            pass
    await shut(server)


# -- async with -----------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_async_with_a_socket_and_a_server() -> None:
    async with await echo_server() as server:
        async with await connect(server) as sock:
            sock.on("error", lambda err: None)
            assert not sock.destroyed
        assert sock.destroyed and getattr(sock.errored, "name", None) == "AbortError"
        assert server.listening
    assert not server.listening  # its exit waited for the close callback
    for s in (sock, *server.accepted):  # type: ignore[attr-defined]
        await closed(s)


@pytest_twisted.ensureDeferred
async def test_an_exception_in_an_async_with_block_still_disposes() -> None:
    server = await echo_server()
    with pytest.raises(KeyError):
        async with server:
            raise KeyError("body")
    assert not server.listening


# -- twnet.on / twnet.once ------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_twnet_on_buffers_between_iterations_and_raises_on_error() -> None:
    assert twnet.on is twnet.events.on
    emitter = twnet.EventEmitter()
    seen = []
    twnet.nextTick(lambda: [emitter.emit("x", n) for n in range(3)])
    with pytest.raises(RuntimeError, match="stop"):
        async for (n,) in twnet.on(emitter, "x"):
            seen.append(n)
            if n == 0:
                await next_turn()  # 1 and 2 come while nobody waits
            if n == 2:
                twnet.nextTick(emitter.emit, "error", RuntimeError("stop"))
    assert seen == [0, 1, 2]
    assert emitter.listenerCount("x") == 0 and emitter.listenerCount("error") == 0


@pytest_twisted.ensureDeferred
async def test_once_twice_drops_nothing_with_on() -> None:
    emitter = twnet.EventEmitter()
    it = twnet.on(emitter, "data")
    emitter.emit("data", 1)
    emitter.emit("data", 2)
    assert await it.__anext__() == [1]
    assert await it.__anext__() == [2]
    await it.aclose()
    assert emitter.listenerCount("data") == 0
    once = twnet.once(emitter, "data")
    assert isinstance(once, AwaitableDeferred)
    emitter.emit("data", 3)
    assert await once == [3]
