"""Hostile peers: one that never speaks (timed out with ``setTimeout``), one that floods a
paused socket with 50 MB, one that sends 1-byte segments, one that half-closes at once, and
hostile UNIX paths (a regular file, a stale socket file, a directory) for ``connect`` and
``listen``, whose errors are compared with Node 24's.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet.task import Clock

import twnet as net
from tests._node import find_node
from tests._sockets import ClockReactor, next_turn
from tests.reliability._peers import (
    Events,
    RawPeer,
    bounded,
    listen,
    raw_connect,
    raw_listener,
)

FLOOD = 50 * 1000 * 1000
READ_SIZE = 65536  # what Twisted reads from the kernel at most per read


async def connect_to(listener: RawPeer, **options: Any) -> tuple[net.Socket, RawPeer]:
    port = listener.sock.getsockname()[1]
    client = net.connect({"port": port, "host": "127.0.0.1", **options})
    connected: defer.Deferred[None] = defer.Deferred()
    client.once("connect", lambda: connected.callback(None))
    remote = await listener.accept()
    await bounded(connected)
    return client, remote


# -- a silent peer --------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_silent_peer_times_out() -> None:
    """A peer that accepts and says nothing: ``setTimeout(100)`` emits 'timeout' after 100 ms
    of inactivity (timed on a Clock), once; activity (the peer's byte, our write) starts the
    wait over; the socket stays open until the 'timeout' listener destroys it, then
    'close'(False)."""
    clock = Clock()
    with raw_listener() as listener:
        port = listener.sock.getsockname()[1]
        client = net.Socket(reactor=ClockReactor(clock))
        events = Events(client, "timeout", "data")
        connected: defer.Deferred[None] = defer.Deferred()
        client.connect(port, "127.0.0.1", lambda: connected.callback(None))
        remote = await listener.accept()
        await bounded(connected)
        client.setTimeout(100)
        clock.advance(0.099)
        assert events.log == []
        await remote.send_all(b"!")  # activity: the wait starts over
        while client.bytesRead < 1:
            await next_turn()
        clock.advance(0.099)
        assert events.log == [("data", b"!")]
        client.write(b"?")  # so does our own write
        clock.advance(0.099)
        assert [e[0] for e in events.log] == ["data"]
        clock.advance(0.001)
        assert [e[0] for e in events.log] == ["data", "timeout"]
        clock.advance(1)  # 'timeout' is not repeated by itself
        assert [e[0] for e in events.log] == ["data", "timeout"]
        assert not client.destroyed
        client.destroy()
        assert await events.wait_closed() is False
        remote.close()
    events.assert_outcome(None)
    assert not [call for call in clock.getDelayedCalls() if call.active()]


@pytest_twisted.ensureDeferred
async def test_silent_client_timed_out_by_server() -> None:
    """The server side: a client that connects and never speaks is destroyed by the usual
    idle timeout (``c.setTimeout(ms)``, ``c.on('timeout', c.destroy)``); the server keeps
    serving (a second client is accepted) and the raw peer sees EOF."""
    clock = Clock()
    server = net.createServer(reactor=ClockReactor(clock))
    accepted: list[Events] = []

    def on_connection(conn: net.Socket) -> None:
        conn.setTimeout(200)
        conn.on("timeout", conn.destroy)
        accepted.append(Events(conn, "timeout"))

    server.on("connection", on_connection)
    address = await listen(server)
    silent = raw_connect(("127.0.0.1", address["port"]))
    await silent.connected()
    while not accepted:
        await next_turn()
    clock.advance(0.2)
    assert await accepted[0].wait_closed() is False
    assert await silent.recv() == b""  # the server closed it
    second = raw_connect(("127.0.0.1", address["port"]))
    await second.connected()
    while len(accepted) < 2:
        await next_turn()
    second.close()
    assert await accepted[1].wait_closed() is False
    silent.close()
    closing: defer.Deferred[None] = defer.Deferred()
    server.close(lambda *_: closing.callback(None))
    await bounded(closing)
    accepted[0].assert_outcome(None)
    assert [e[0] for e in accepted[0].log] == ["timeout", "close"]


# -- a flood into a paused socket -------------------------------------------------------


def rss() -> int:
    """This process's resident set size in bytes (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest_twisted.ensureDeferred
async def test_flood_into_paused_socket_is_bounded(figures: dict[str, str]) -> None:
    """A peer tries to push 50 MB into a paused socket: twnet reads up to
    ``readableHighWaterMark`` (plus at most one read) and stops, so the peer is held back
    by TCP and twnet's memory does not grow with the flood. Resumed, the socket delivers
    all 50 MB, in order (CRC-32), with ``readableLength`` never above that bound."""
    block = os.urandom(1 << 20)
    with raw_listener() as listener:
        client, remote = await connect_to(listener)
        client.pause()
        events = Events(client, "end")
        bound = client.readableHighWaterMark + READ_SIZE
        before = rss()
        sent = 0
        stalled = 0
        # Send until neither the kernel nor twnet takes more for several reactor turns.
        while stalled < 5 and sent < FLOOD:
            took = 0
            try:
                while sent < FLOOD:
                    offset = sent % len(block)
                    n = remote.sock.send(memoryview(block)[offset:])
                    sent += n
                    took += n
            except BlockingIOError:
                pass
            stalled = 0 if took else stalled + 1
            await next_turn()
            assert client.readableLength <= bound
        held_back = sent
        assert held_back < FLOOD  # TCP held the peer back
        assert client.readableLength >= client.readableHighWaterMark  # twnet read, then stopped
        grown = rss() - before
        assert grown < 16 << 20, f"RSS grew by {grown} bytes while paused"
        received = 0
        crc = 0
        most_buffered = 0

        def on_data(data: bytes) -> None:
            nonlocal received, crc, most_buffered
            received += len(data)
            crc = zlib.crc32(data, crc)
            most_buffered = max(most_buffered, client.readableLength)

        client.on("data", on_data)
        client.resume()
        while sent < FLOOD:
            offset = sent % len(block)
            size = min(len(block) - offset, FLOOD - sent)
            await remote.send_all(memoryview(block)[offset : offset + size])
            sent += size
        remote.close()
        assert await events.wait_closed() is False
    events.assert_outcome(None)
    assert ("end",) in events.log
    assert received == FLOOD
    expected = 0
    for start in range(0, FLOOD, len(block)):
        expected = zlib.crc32(block[: min(len(block), FLOOD - start)], expected)
    assert crc == expected
    assert most_buffered <= bound
    figures["flood"] = (
        f"{FLOOD / 1e6:.0f} MB flooded into a paused socket: the peer was held back after "
        f"{held_back / 1e6:.1f} MB, RSS grew {grown / 2**20:.1f} MiB while paused"
    )


# -- 1-byte segments --------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_one_byte_segments() -> None:
    """A peer sends UTF-8 text one byte per segment (``TCP_NODELAY``, each byte read before
    the next is sent): ``bytesRead`` counts each, ``setEncoding('utf8')`` never splits a
    character, and the text arrives whole; twnet's own 1-byte writes arrive whole too."""
    text = "héllo wörld — € 𝄞 ✓ " * 8
    encoded = text.encode()
    with raw_listener() as listener:
        client, remote = await connect_to(listener)
        client.setEncoding("utf8")
        remote.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.setNoDelay(True)
        events = Events(client)
        chunks: list[str] = []
        client.on("data", chunks.append)
        for i in range(len(encoded)):
            await remote.send_all(encoded[i : i + 1])
            while client.bytesRead < i + 1:
                await next_turn()
        assert "".join(chunks) == text
        assert len(chunks) > len(text) // 2  # they really came piecemeal
        for i in range(len(encoded)):
            events.write(encoded[i : i + 1])
        echoed = await remote.recv_exactly(len(encoded))
        assert echoed == encoded
        client.end()
        assert await remote.recv() == b""
        remote.close()
        assert await events.wait_closed() is False
    events.assert_outcome(None, write_error=lambda r: r is None)
    assert client.bytesRead == client.bytesWritten == len(encoded)


# -- an immediate half-close ------------------------------------------------------------


@pytest.mark.parametrize("allow_half_open", [False, True])
@pytest_twisted.ensureDeferred
async def test_immediate_half_close(allow_half_open: bool) -> None:
    """A client sends a request and shuts down its writing side before the server has even
    accepted it. Without ``allowHalfOpen`` the server socket gets the data, 'end', and ends
    itself (the reply written in the 'end' listener still arrives first); with it, the
    server socket stays writable until it ends. Either way: no error, 'close'(False), and
    the peer reads the whole reply and then EOF."""
    server = net.createServer({"allowHalfOpen": allow_half_open})
    accepted: defer.Deferred[Events] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        events = Events(conn, "end", "finish")
        got: list[bytes] = []
        conn.on("data", got.append)

        def on_end() -> None:
            events.log.append(("writable at end", conn.writable))
            events.write(b"reply to " + b"".join(got))
            if allow_half_open:
                events.end(b".")

        conn.on("end", on_end)
        accepted.callback(events)

    server.on("connection", on_connection)
    address = await listen(server)
    peer = raw_connect(("127.0.0.1", address["port"]))
    await peer.connected()
    peer.sock.sendall(b"request")
    peer.sock.shutdown(socket.SHUT_WR)
    events = await bounded(accepted)
    reply = await peer.recv_to_eof()
    peer.close()
    assert await events.wait_closed() is False
    closing: defer.Deferred[None] = defer.Deferred()
    server.close(lambda *_: closing.callback(None))
    await bounded(closing)
    events.assert_outcome(None, write_error=lambda r: r is None)
    assert reply == (b"reply to request." if allow_half_open else b"reply to request")
    names = [e[0] for e in events.log]
    assert names.count("end") == 1 and names.count("finish") == 1
    assert ("writable at end", True) in events.log


@pytest_twisted.ensureDeferred
async def test_peer_half_closes_at_once_on_accept() -> None:
    """A server (raw) that sends a greeting and shuts down its writing side as it accepts:
    the twnet client gets the greeting, 'end', and (without ``allowHalfOpen``) ends too;
    'close'(False), no error."""
    with raw_listener() as listener:
        port = listener.sock.getsockname()[1]
        client = net.connect(port, "127.0.0.1")
        events = Events(client, "connect", "data", "end", "finish")
        remote = await listener.accept()
        remote.sock.sendall(b"bye")
        remote.sock.shutdown(socket.SHUT_WR)
        assert await remote.recv_to_eof() == b""
        remote.close()
        assert await events.wait_closed() is False
    events.assert_outcome(None)
    names = [e[0] for e in events.log]
    assert names == ["connect", "data", "end", "finish", "close"]
    assert events.log[1] == ("data", b"bye")


# -- hostile UNIX paths ----------------------------------------------------------------

UNIX_CASES = ["file", "stale.sock", "directory"]
UNIX_SCRIPT = Path(__file__).with_name("unix_paths.js")


def make_hostile_paths(directory: str) -> None:
    with open(os.path.join(directory, "file"), "w") as f:
        f.write("not a socket")
    os.mkdir(os.path.join(directory, "directory"))
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(os.path.join(directory, "stale.sock"))  # bound, closed: nobody listens
    stale.close()


@functools.cache
def node_unix_results() -> dict[str, Any]:
    try:
        node = find_node((24, 0, 0))
    except RuntimeError as e:
        pytest.skip(str(e))
    if node is None:
        pytest.skip("Node 24 not found (tests/_node.py)")
    with tempfile.TemporaryDirectory(prefix="twr", dir="/tmp") as tmp:
        make_hostile_paths(tmp)
        out = subprocess.run(
            [node, str(UNIX_SCRIPT), tmp], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        results: dict[str, Any] = json.loads(out.replace(tmp, "TMP"))
    return results


def describe(err: Any, tmp: str) -> dict[str, Any]:
    return {
        key: (value.replace(tmp, "TMP") if isinstance(value, str) else value)
        for key, value in (
            ("code", err.code),
            ("syscall", err.syscall),
            ("address", err.address),
            ("message", str(err)),
        )
    }


async def try_connect(path: str, tmp: str) -> dict[str, Any]:
    out: dict[str, Any] = {"events": []}
    done: defer.Deferred[None] = defer.Deferred()
    sock = net.connect(path, lambda: out["events"].append("connect"))

    def on_error(err: Any) -> None:
        out["error"] = describe(err, tmp)
        out["events"].append("error")

    def on_close(had_error: bool) -> None:
        out["events"].append(f"close {'true' if had_error else 'false'}")
        done.callback(None)

    sock.on("error", on_error)
    sock.on("close", on_close)
    await bounded(done)
    return out


async def try_listen(path: str, tmp: str) -> dict[str, Any]:
    out: dict[str, Any] = {"events": []}
    done: defer.Deferred[None] = defer.Deferred()
    server = net.createServer()

    def on_error(err: Any) -> None:
        out["error"] = describe(err, tmp)
        out["events"].append(f"error listening={'true' if server.listening else 'false'}")
        done.callback(None)

    def on_listening() -> None:
        out["events"].append("listening")
        server.close(lambda *_: done.callback(None))

    server.on("error", on_error)
    server.listen(path, on_listening)
    await bounded(done)
    await next_turn()
    return out


@pytest.mark.parametrize("name", UNIX_CASES)
@pytest_twisted.ensureDeferred
async def test_hostile_unix_path(name: str) -> None:
    """``connect()`` and ``listen()`` on a regular file, a stale socket file and a directory
    give Node 24's errors (code, syscall, address, message; ECONNREFUSED then 'close'(True);
    EADDRINUSE with the server not listening), and leave the path as it was."""
    expected = node_unix_results()[name]
    with tempfile.TemporaryDirectory(prefix="twr", dir="/tmp") as tmp:
        make_hostile_paths(tmp)
        path = os.path.join(tmp, name)
        kind = os.stat(path).st_mode
        got = {"connect": await try_connect(path, tmp), "listen": await try_listen(path, tmp)}
        assert os.stat(path).st_mode == kind
    assert got == expected
