"""An exception from user code, in every listener and callback a user can attach, in every
state a socket or server can be in (issue #11): it is logged once (through
``twisted.logger``, as the API contract's "Liveness" section says) and the objects still
reach ``'close'``: what was queued is still written, and every descriptor, timer and
liveness hold is released.

Each case is a small program over real loopback sockets (twnet on both ends, or a raw
Python socket where the peer must misbehave) whose one raising listener is :func:`boom`.
The matrix runs each case and then checks, against counts taken before it: one logged
``ZeroDivisionError``, every socket and server closed, ``/proc/self/fd`` back to its count,
no pending ``DelayedCall`` and no liveness hold left.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet import reactor as _reactor

import twnet
import twnet as net
from tests._sockets import next_turn
from tests.reliability._peers import bounded, open_fds, raw_connect, raw_listener
from twnet import _liveness
from twnet.testing import capture_failures

R: Any = _reactor


class Boom(ZeroDivisionError):
    """What the user's listener raises."""


def boom(*_: Any) -> None:
    raise Boom("from a listener")


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


class Case:
    """One program: the objects it makes are tracked, and awaited to 'close' at the end."""

    def __init__(self) -> None:
        self.closes: list[defer.Deferred[list[Any]]] = []
        self.servers: list[net.Server] = []
        self.received: dict[str, bytearray] = {}

    def track(self, emitter: Any) -> Any:
        """Wait for *emitter*'s 'close' at the end of the case."""
        self.closes.append(closed(emitter))
        return emitter

    def collect(self, sock: net.Socket, name: str) -> None:
        """Keep what *sock* receives under *name* (its 'data' listener)."""
        buffer = self.received.setdefault(name, bytearray())
        sock.on("data", buffer.extend)

    async def serve(
        self,
        on_connection: Callable[[net.Socket], Any] | None = None,
        port: int = 0,
        **options: Any,
    ) -> int:
        """A twnet server on 127.0.0.1 whose accepted sockets are tracked."""

        def accepted(c: net.Socket) -> None:
            self.track(c)
            c.on("error", lambda _: None)
            c.resume()  # reads (and so sees the peer's end) even without a 'data' listener
            if on_connection is not None:
                on_connection(c)

        server = net.createServer(options, accepted)
        self.servers.append(server)
        server.listen(port, "127.0.0.1")
        await bounded(twnet.once(server, "listening"))
        bound: int = server.address()["port"]  # type: ignore[index]
        return bound

    def client(self, port: int, **options: Any) -> net.Socket:
        sock = net.connect({"port": port, "host": "127.0.0.1", **options})
        sock.on("error", lambda _: None)
        sock.resume()  # reads to the peer's end, as a 'data' listener would
        return self.track(sock)

    async def finish(self) -> None:
        for d in self.closes:
            await bounded(d)
        for server in self.servers:
            if server.listening:
                done = closed(server)
                server.close()
                await bounded(done)
        for _ in range(2):
            await next_turn()


Program = Callable[[Case], Awaitable[None]]
CASES: dict[str, Program] = {}


def case(name: str) -> Callable[[Program], Program]:
    def register(program: Program) -> Program:
        CASES[name] = program
        return program

    return register


async def _ends(sock: net.Socket) -> None:
    await bounded(twnet.once(sock, "end"))


# -- Socket: connecting ---------------------------------------------------------------------


@case("lookup/connecting")
async def _lookup(c: Case) -> None:
    port = await c.serve(lambda s: s.end())
    sock = c.client(port, host="localhost", family=4)
    sock.on("lookup", boom)
    sock.write(b"queued")
    await _ends(sock)


@case("connectionAttempt/connecting")
async def _attempt(c: Case) -> None:
    port = await c.serve(lambda s: s.end())
    sock = c.client(port)
    sock.on("connectionAttempt", boom)
    await _ends(sock)


@case("connectionAttemptFailed/connecting")
async def _attempt_failed(c: Case) -> None:
    with raw_listener() as probe:
        port = probe.sock.getsockname()[1]
    sock = c.client(port)
    sock.on("connectionAttemptFailed", boom)
    sock.write(b"never sent", lambda err: None)


@case("connectionAttemptTimeout/connecting, first address silent")
async def _attempt_timeout(c: Case) -> None:
    # A listener whose accept queue is full: the kernel drops further SYNs, so a connect
    # to it stays under way until the attempt times out and the next address is tried.
    with raw_listener(backlog=0) as silent:
        silent.sock.close()
        silent.sock = socket.socket()
        silent.sock.bind(("127.0.0.2", 0))
        silent.sock.listen(0)
        port = silent.sock.getsockname()[1]
        fillers = [raw_connect(("127.0.0.2", port)) for _ in range(2)]
        await fillers[0].connected()
        await c.serve(lambda s: s.end(), port=port)

        def lookup(host: str, options: Any, callback: Any) -> None:
            addresses = [{"address": "127.0.0.2", "family": 4}]
            callback(None, [*addresses, {"address": "127.0.0.1", "family": 4}])

        sock = c.client(
            port,
            host="silent.test",
            lookup=lookup,
            autoSelectFamily=True,
            autoSelectFamilyAttemptTimeout=10,
        )
        sock.on("connectionAttemptTimeout", boom)
        await _ends(sock)
        assert sock.autoSelectFamilyAttemptedAddresses == [
            f"127.0.0.2:{port}",
            f"127.0.0.1:{port}",
        ]
        for filler in fillers:
            filler.close()


@case("connect callback/connecting, writes queued")
async def _connect_cb(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.track(net.connect(port, "127.0.0.1", boom))
    sock.write(b"queued ")
    sock.end(b"then ended")
    await bounded(c.closes[-1])
    await c.finish()
    assert bytes(c.received["server"]) == b"queued then ended"


@case("ready/connecting, writes queued")
async def _ready(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    sock.on("ready", boom)
    sock.end(b"queued")
    await c.finish()
    assert bytes(c.received["server"]) == b"queued"


@case("error/connecting (refused)")
async def _error_refused(c: Case) -> None:
    with raw_listener() as probe:
        port = probe.sock.getsockname()[1]
    sock = c.track(net.connect(port, "127.0.0.1"))
    sock.on("error", boom)


@case("close/connecting, destroyed")
async def _close_connecting(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    sock.on("close", boom)
    sock.destroy()


# -- Socket: open, paused, piped, half-closed, ending ----------------------------------------


@case("data/open")
async def _data(c: Case) -> None:
    port = await c.serve(lambda s: s.end(b"hello"))
    sock = c.client(port)
    sock.on("data", boom)
    await _ends(sock)


@case("data/paused then resumed")
async def _data_paused(c: Case) -> None:
    port = await c.serve(lambda s: s.end(b"hello"))
    sock = c.client(port)
    sock.pause()
    sock.on("data", boom)
    await bounded(twnet.once(sock, "connect"))
    for _ in range(3):
        await next_turn()
    sock.resume()
    await _ends(sock)


@case("data/piped")
async def _data_piped(c: Case) -> None:
    sink = await c.serve(lambda s: c.collect(s, "sink"))
    port = await c.serve(lambda s: s.end(b"through the pipe"))
    sock = c.client(port)
    dest = c.client(sink)
    sock.on("data", boom)
    sock.pipe(dest)
    await c.finish()
    assert bytes(c.received["sink"]) == b"through the pipe"


@case("end/piped source")
async def _end_piped(c: Case) -> None:
    sink = await c.serve(lambda s: c.collect(s, "sink"))
    port = await c.serve(lambda s: s.end(b"piped"))
    sock = c.client(port)
    dest = c.client(sink)
    sock.on("end", boom)  # before the pipe's own 'end' listener
    sock.pipe(dest)
    await c.finish()
    assert bytes(c.received["sink"]) == b"piped"


@case("close/pipe destination closed first")
async def _close_piped_dest(c: Case) -> None:
    sink = await c.serve(lambda s: s.destroy())
    port = await c.serve()
    sock = c.client(port)
    dest = c.client(sink)
    dest.on("close", boom)
    sock.pipe(dest)
    await bounded(c.closes[-1])
    assert sock.isPaused() and not sock.destroyed
    sock.destroy()


@case("end/half-closed by the peer (allowHalfOpen false)")
async def _end(c: Case) -> None:
    port = await c.serve(lambda s: s.end(b"bye"))
    sock = c.client(port)
    sock.on("end", boom)


@case("end/half-closed by the peer (allowHalfOpen true), then written to")
async def _end_half_open(c: Case) -> None:
    port = await c.serve(lambda s: (c.collect(s, "server"), s.end()))
    sock = c.client(port, allowHalfOpen=True)

    def on_end() -> None:
        sock.end(b"answer after the peer's end")
        boom()

    sock.on("end", on_end)
    await c.finish()
    assert bytes(c.received["server"]) == b"answer after the peer's end"


@case("finish/ending")
async def _finish(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    sock.on("finish", boom)
    sock.end(b"last words")
    await c.finish()
    assert bytes(c.received["server"]) == b"last words"


@case("finish/half-closed by us, peer still writing")
async def _finish_half_closed(c: Case) -> None:
    def on_connection(s: net.Socket) -> None:
        s.on("end", lambda: s.end(b"after your end"))

    port = await c.serve(on_connection, allowHalfOpen=True)
    sock = c.client(port)
    c.collect(sock, "client")
    sock.on("finish", boom)
    sock.end(b"x")
    await c.finish()
    assert bytes(c.received["client"]) == b"after your end"


@case("drain/open, write buffer full")
async def _drain(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    sock.on("drain", boom)
    big = b"d" * (4 << 20)
    assert sock.write(big) is False
    await bounded(twnet.once(sock, "drain"))
    sock.end(b"!")
    await c.finish()
    assert len(c.received["server"]) == len(big) + 1


@case("timeout/open, idle")
async def _timeout(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    sock.setTimeout(1)
    sock.on("timeout", boom)
    sock.on("timeout", sock.destroy)


@case("timeout/paused")
async def _timeout_paused(c: Case) -> None:
    port = await c.serve(lambda s: s.write(b"unread"))
    sock = c.client(port)
    sock.pause()
    sock.setTimeout(1, boom)
    await bounded(twnet.once(sock, "timeout"))
    sock.destroy()


@case("error/open, reset by the peer")
async def _error_reset(c: Case) -> None:
    with raw_listener() as listener:
        sock = c.track(net.connect(listener.sock.getsockname()[1], "127.0.0.1"))
        sock.on("error", boom)
        peer = await listener.accept()
        await bounded(twnet.once(sock, "connect"))
        sock.write(b"x", lambda err: None)
        peer.rst()


@case("close/open, destroyed")
async def _close_open(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    sock.on("close", boom)
    sock.destroy()


@case("error/unhandled, open, reset by the peer")
async def _error_unhandled(c: Case) -> None:
    with raw_listener() as listener:
        sock = c.track(net.connect(listener.sock.getsockname()[1], "127.0.0.1"))
        peer = await listener.accept()
        await bounded(twnet.once(sock, "connect"))
        peer.rst()  # no 'error' listener: the error itself is the one logged


# -- Socket: callbacks ----------------------------------------------------------------------


@case("write callback/open")
async def _write_cb(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    sock.write(b"one ", boom)
    sock.end(b"two")
    await c.finish()
    assert bytes(c.received["server"]) == b"one two"


@case("write callback/connecting")
async def _write_cb_connecting(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    sock.write(b"one ", boom)
    sock.end(b"two")
    await c.finish()
    assert bytes(c.received["server"]) == b"one two"


@case("write callback/destroyed before it completed")
async def _write_cb_destroyed(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    sock.write(b"never", boom)
    sock.destroy()


@case("write callback/after destroy")
async def _write_after_destroy(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    sock.destroy()
    sock.write(b"too late", boom)


@case("end callback/ending")
async def _end_cb(c: Case) -> None:
    port = await c.serve(lambda s: c.collect(s, "server"))
    sock = c.client(port)
    sock.end(b"bye", boom)
    await c.finish()
    assert bytes(c.received["server"]) == b"bye"


@case("twnet.once/connect, beside a raising listener")
async def _once(c: Case) -> None:
    port = await c.serve(lambda s: s.end())
    sock = c.client(port)
    sock.on("connect", boom)
    await bounded(twnet.once(sock, "connect"))
    await _ends(sock)


# -- Server ---------------------------------------------------------------------------------


@case("listening/listen callback")
async def _listening(c: Case) -> None:
    server = net.createServer(lambda s: (c.track(s), s.end(b"served")))
    c.servers.append(server)
    server.listen(0, "127.0.0.1", boom)
    await bounded(twnet.once(server, "listening"))
    sock = c.client(server.address()["port"])  # type: ignore[index]
    await _ends(sock)


@case("connection/server")
async def _connection(c: Case) -> None:
    def on_connection(s: net.Socket) -> None:
        c.collect(s, "server")
        boom()

    port = await c.serve(on_connection)
    sock = c.client(port)
    sock.end(b"to a server whose listener raised")
    await c.finish()
    assert bytes(c.received["server"]) == b"to a server whose listener raised"


@case("close/server close callback")
async def _server_close_cb(c: Case) -> None:
    port = await c.serve()
    server = c.servers[-1]
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    done = closed(server)
    server.close(boom)
    sock.destroy()
    await bounded(done)


@case("error/server listen error")
async def _server_error(c: Case) -> None:
    port = await c.serve()
    second = net.createServer()
    second.on("error", boom)
    failed = twnet.once(second, "error")
    second.listen(port, "127.0.0.1")
    (error,) = await bounded(failed)  # the 'error' still reached the next listener
    assert getattr(error, "code", None) == "EADDRINUSE"
    assert not second.listening


@case("drop/server over maxConnections")
async def _drop(c: Case) -> None:
    port = await c.serve()
    server = c.servers[-1]
    server.maxConnections = 0
    server.on("drop", boom)
    c.client(port)
    await bounded(c.closes[-1])


@case("getConnections callback/server")
async def _get_connections(c: Case) -> None:
    port = await c.serve()
    sock = c.client(port)
    await bounded(twnet.once(sock, "connect"))
    c.servers[-1].getConnections(boom)
    await next_turn()
    sock.destroy()


@case("data/raw peer flooding, paused")
async def _paused_flood(c: Case) -> None:
    with raw_listener() as listener:
        sock = c.track(net.connect(listener.sock.getsockname()[1], "127.0.0.1"))
        sock.on("error", lambda _: None)
        peer = await listener.accept()
        await bounded(twnet.once(sock, "connect"))
        sock.pause()
        sock.once("data", boom)
        await peer.send_all(b"f" * 200_000)
        peer.close()
        sock.resume()
        await _ends(sock)


@case("connect/raw peer that connects and vanishes")
async def _vanish(c: Case) -> None:
    port = await c.serve()
    peer = raw_connect(("127.0.0.1", port))
    await peer.connected()
    sock = c.client(port)
    sock.on("connect", boom)
    await bounded(twnet.once(sock, "connect"))
    peer.rst()
    sock.end()


# -- the matrix -----------------------------------------------------------------------------


_warmed_up: list[bool] = []


async def _warm_up() -> None:
    """Connect to 'localhost' once, unchecked: the process's first name lookup leaves a
    descriptor open for good (the C library's), which is no socket's."""
    if not _warmed_up:
        _warmed_up.append(True)
        c = Case()
        port = await c.serve(lambda s: s.end())
        c.client(port, host="localhost", family=4)
        await c.finish()


@pytest.mark.parametrize("name", list(CASES))
@pytest_twisted.ensureDeferred
async def test_an_exception_in_user_code(name: str) -> None:
    await _warm_up()
    await next_turn()
    fds = open_fds()
    held = _liveness._held
    c = Case()
    with capture_failures() as failures:
        await CASES[name](c)
        await c.finish()
    assert len(failures) == 1, [f.getTraceback() for f in failures]
    error = failures[0].value
    assert isinstance(error, Boom) or (
        name.startswith("error/unhandled") and getattr(error, "code", None) == "ECONNRESET"
    ), failures[0].getTraceback()
    assert open_fds() == fds
    assert [call for call in R.getDelayedCalls() if call.active()] == []
    assert _liveness._held == held
