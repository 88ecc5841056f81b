"""Faults: a peer that resets (TCP RST, ``SO_LINGER`` 0) while twnet writes, reads (flowing and
paused), connects or has just accepted; a peer that closed while twnet goes on writing
(EPIPE); both sides ending in the same turn. Each case gives
what Node 24 gives (checked by running the same scenario under Node 24): one ``'error'`` of
the right class and code where Node has one, one ``'close'`` with the right ``had_error``,
and every write callback called exactly once.

The peers are raw non-blocking Python sockets driven from the reactor (``_peers.RawPeer``).
"""

from __future__ import annotations

import hashlib
import select
import socket
import struct
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer

import twnet as net
from tests._sockets import next_turn
from tests.reliability._peers import (
    Events,
    R,
    RawPeer,
    bounded,
    listen,
    raw_connect,
    raw_listener,
)
from twnet import _runtime

_TCP_CLOSE = 7  # tcpi_state of a connection the peer reset (linux/tcp_states.h)


def tcp_state(sock: net.Socket) -> int:
    """The kernel's TCP state of *sock*'s connection (first byte of ``TCP_INFO``)."""
    handle = sock._handle.transport.getHandle()
    info = handle.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    state: int = struct.unpack("B", info[:1])[0]
    return state


def is_reset(error: Any) -> bool:
    return getattr(error, "code", None) in ("ECONNRESET", "EPIPE", "ECANCELED")


async def connected_client(peer: RawPeer) -> tuple[net.Socket, RawPeer]:
    """A twnet client connected to the raw listener *peer*, and the raw accepted end."""
    port = peer.sock.getsockname()[1]
    client = net.connect(port, "127.0.0.1")
    connected: defer.Deferred[None] = defer.Deferred()
    client.once("connect", lambda: connected.callback(None))
    remote = await peer.accept()
    await bounded(connected)
    return client, remote


@pytest_twisted.ensureDeferred
async def test_reset_while_writing() -> None:
    """twnet has megabytes queued for a peer that does not read, and the peer resets: Node
    24 reports ECONNRESET (``syscall='read'``: the socket is reading too), 'close'(True), and
    calls every write callback once."""
    with raw_listener() as listener:
        client, remote = await connected_client(listener)
        events = Events(client)
        chunk = b"w" * 65536
        while events.write(chunk):
            pass
        for _ in range(20):
            events.write(chunk)
        assert client.writableLength > 0
        first = await remote.recv()  # the data flows: twnet is writing when the RST comes
        assert first
        remote.rst()
        assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, "read", write_error=_none_or_reset)
    # The writes that were still queued when the connection went failed; the first did not.
    assert events.write_results[0] == [None]
    assert is_reset(events.write_results[-1][0])


def _none_or_reset(result: Any) -> bool:
    return result is None or is_reset(result)


@pytest_twisted.ensureDeferred
async def test_reset_while_reading_flowing() -> None:
    """The peer sends data, then resets: 'data' delivers it, then Node's ECONNRESET
    (``syscall='read'``) and 'close'(True)."""
    with raw_listener() as listener:
        client, remote = await connected_client(listener)
        events = Events(client)
        got: defer.Deferred[bytes] = defer.Deferred()
        client.once("data", got.callback)
        await remote.send_all(b"hello")
        assert await bounded(got) == b"hello"
        remote.rst()
        assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, "read")


@pytest_twisted.ensureDeferred
async def test_reset_while_paused_below_high_water_mark() -> None:
    """A paused socket goes on reading from the kernel until ``readableHighWaterMark``
    bytes wait (Node's ``pause()`` only stops 'data'), so it sees the reset at once: Node 24
    gives 'error' ECONNRESET (``syscall='read'``) and 'close'(True), and no 'data'."""
    with raw_listener() as listener:
        client, remote = await connected_client(listener)
        events = Events(client, "data")
        client.pause()
        await remote.send_all(b"hello")
        remote.rst()
        assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, "read")
    assert [e for e in events.log if e[0] == "data"] == []


async def paused_full(listener: RawPeer) -> tuple[net.Socket, RawPeer, bytes]:
    """A paused twnet client that stopped reading (``readableHighWaterMark`` bytes wait),
    the raw peer, and what the peer sent."""
    client, remote = await connected_client(listener)
    client.pause()
    sent = bytes(range(256)) * 4096  # 1 MiB: more than twnet and both kernel buffers take
    view = memoryview(sent)
    while client.readableLength < client.readableHighWaterMark:
        try:
            if view:
                view = view[remote.sock.send(view) :]
        except BlockingIOError:
            pass
        await next_turn()
    return client, remote, sent[: len(sent) - len(view)]


async def reset_unnoticed(client: net.Socket, remote: RawPeer) -> None:
    remote.rst()
    while tcp_state(client) != _TCP_CLOSE:  # loopback: at once
        await next_turn()
    for _ in range(5):
        await next_turn()
    assert not client.destroyed  # not reading: nothing told twnet, as nothing tells Node


@pytest_twisted.ensureDeferred
async def test_reset_while_paused_at_high_water_mark() -> None:
    """A paused socket with ``readableHighWaterMark`` bytes waiting has stopped reading: as
    in Node 24, the reset goes unnoticed until ``resume()``; then 'data' delivers what was
    received (a prefix of what the peer sent), then 'error' ECONNRESET (``syscall='read'``)
    and 'close'(True)."""
    with raw_listener() as listener:
        client, remote, sent = await paused_full(listener)
        events = Events(client)
        await reset_unnoticed(client, remote)
        received: list[bytes] = []
        client.on("data", received.append)
        client.resume()
        assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, "read")
    got = b"".join(received)
    assert len(got) >= client.readableHighWaterMark
    assert sent.startswith(got)


@pytest_twisted.ensureDeferred
async def test_reset_while_paused_then_write() -> None:
    """A socket paused at ``readableHighWaterMark`` learns of the reset when it writes:
    Node 24 calls the write callback with ECONNRESET, emits 'error' ECONNRESET
    (``syscall='write'``), then 'close'(True)."""
    with raw_listener() as listener:
        client, remote, _ = await paused_full(listener)
        events = Events(client)
        await reset_unnoticed(client, remote)
        events.write(b"x")
        assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, "write", write_error=is_reset)
    assert events.write_results[0][0].code == "ECONNRESET"


@pytest_twisted.ensureDeferred
async def test_write_after_peer_closed_gives_epipe() -> None:
    """With ``allowHalfOpen``, the peer closes (FIN) and twnet goes on writing: the first
    write reaches the peer's kernel, which answers with a reset; the next write fails. Node
    24: 'error' EPIPE (``syscall='write'``), 'close'(True), a later write's callback gets
    ERR_STREAM_DESTROYED; every write callback once (the failing write's with EPIPE)."""
    with raw_listener() as listener:
        port = listener.sock.getsockname()[1]
        client = net.connect({"port": port, "host": "127.0.0.1", "allowHalfOpen": True})
        events = Events(client, "end")
        ended: defer.Deferred[None] = defer.Deferred()
        client.once("end", lambda: ended.callback(None))
        remote = await listener.accept()
        remote.close()
        await bounded(ended)
        events.write(b"1" * 1000)  # reaches the peer's kernel, which resets
        while tcp_state(client) != _TCP_CLOSE:
            await next_turn()
        events.write(b"2" * 1000)  # fails
        await events.wait_closed()
        events.write(b"3")  # after the close
        _runtime.drain_ticks()
    events.assert_outcome("EPIPE", BrokenPipeError, "write")
    assert events.write_results[0] == [None]
    assert events.write_results[1][0].code == "EPIPE"
    assert events.write_results[2][0].code == "ERR_STREAM_DESTROYED"


@pytest_twisted.ensureDeferred
async def test_peer_vanishes_during_connect() -> None:
    """The listener goes away while twnet's connection waits in its accept queue: the kernel
    resets the half-made connection before twnet learns that it connected. Node 24: 'error'
    ECONNRESET with ``syscall='connect'``, 'close'(True), no 'connect', and a write made while
    connecting fails with ERR_SOCKET_CLOSED_BEFORE_CONNECTION."""
    listener = raw_listener()
    port = listener.sock.getsockname()[1]
    client = net.connect(port, "127.0.0.1")
    events = Events(client, "connect")
    events.write(b"abc")
    queued: list[bool] = []

    def vanish() -> None:
        # The kernel has finished the handshake when the listener turns readable.
        queued.append(bool(select.select([listener.sock], [], [], 0)[0]))
        listener.close()

    # twnet connects on the next tick; Twisted makes the connect() call on the reactor turn
    # after that and learns the result on the turn after: close the listener in between.
    client.once("connectionAttempt", lambda *_: _runtime.next_tick(R.callLater, 0, vanish))
    assert await events.wait_closed() is True
    assert queued == [True], "the listener was gone before the handshake: not this case"
    events.assert_outcome("ECONNRESET", ConnectionResetError, "connect")
    assert ("connect",) not in events.log
    assert events.write_results[0][0].code == "ERR_SOCKET_CLOSED_BEFORE_CONNECTION"


@pytest_twisted.ensureDeferred
async def test_reset_right_after_accept_with_writes_queued() -> None:
    """A client connects and resets at once; the server's 'connection' listener queues 6 MiB.
    Node 24: 'error' ECONNRESET, 'close'(True), every write callback once (the last with the
    error)."""
    server = net.createServer()
    accepted: defer.Deferred[Events] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        events = Events(conn)
        for _ in range(100):
            events.write(b"s" * 65536)
        accepted.callback(events)

    server.on("connection", on_connection)
    address = await listen(server)
    peer = raw_connect(("127.0.0.1", address["port"]))
    await peer.connected()
    peer.rst()
    events = await bounded(accepted)
    server.close()
    assert await events.wait_closed() is True
    events.assert_outcome("ECONNRESET", ConnectionResetError, write_error=_none_or_reset)
    assert is_reset(events.write_results[-1][0])


@pytest.mark.parametrize("family", ["TCP", "UNIX"])
@pytest_twisted.ensureDeferred
async def test_both_sides_end_in_the_same_turn(family: str, tmp_path: Any) -> None:
    """Both ends write 1 MiB and call ``end()`` in the same turn (over TCP and over UNIX):
    each receives every byte and 'end', each 'finish'es, no 'error', 'close'(False) on both,
    end callbacks once."""
    server = net.createServer()
    accepted: defer.Deferred[net.Socket] = defer.Deferred()
    server.on("connection", accepted.callback)
    if family == "UNIX":
        path = str(tmp_path / "both.sock")
        await listen(server, path)
        client = net.connect(path)
    else:
        address = await listen(server)
        client = net.connect(address["port"], "127.0.0.1")
    conn = await bounded(accepted)
    if client.connecting:
        d: defer.Deferred[None] = defer.Deferred()
        client.once("connect", lambda: d.callback(None))
        await bounded(d)
    payloads = {"client": bytes(range(256)) * 4096, "server": bytes(range(255, -1, -1)) * 4096}
    sides = {"client": Events(client, "end", "finish"), "server": Events(conn, "end", "finish")}
    received: dict[str, list[bytes]] = {"client": [], "server": []}
    client.on("data", received["client"].append)
    conn.on("data", received["server"].append)
    sides["client"].write(payloads["client"])
    sides["server"].write(payloads["server"])
    sides["client"].end(b"!")
    sides["server"].end(b"?")
    server.close()
    for events in sides.values():
        assert await events.wait_closed() is False
        events.assert_outcome(None, write_error=lambda r: r is None)
        names = [e[0] for e in events.log]
        assert names.count("end") == 1 and names.count("finish") == 1
    client_got = b"".join(received["client"])
    server_got = b"".join(received["server"])
    assert hashlib.sha256(client_got).digest() == hashlib.sha256(payloads["server"] + b"?").digest()
    assert hashlib.sha256(server_got).digest() == hashlib.sha256(payloads["client"] + b"!").digest()
