"""Load: 1,000 concurrent connections each moving 256 KiB both ways with checksums, and
20,000 connect/close cycles (client ``end()``, ``destroy()``, RST, server-side ``end()``; TCP
and UNIX) after which no descriptor, pending delayed call or twnet object is left over.

Both ends are twnet, in this process, so both the client and the server side are loaded.
The counts are fixed; the time they take is recorded (``figures``, shown at the end of the
run) and every wait is bounded.
"""

from __future__ import annotations

import gc
import os
import resource
import socket
import tempfile
import time
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer, tcp, unix

import twnet as net
from tests.reliability._peers import R, bounded, listen, open_fds
from twnet._tcp_handle import TCPHandle

CONNECTIONS = 1000
PAYLOAD = 256 * 1024
CHUNK = 64 * 1024
OPENING = 100  # connects under way at once: more would overflow the listen backlog
CYCLES = 20_000
PARALLEL = 50  # cycles under way at once


def ensure_fd_limit(needed: int) -> None:
    """Raise the soft descriptor limit to *needed* (within the hard limit) or skip."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"needs {needed} descriptors; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


class Stream:
    """One direction of one connection: *sock* sends ``BLOCK + trailer`` (with back-pressure)
    and then ends; the other end's :class:`Stream` checks the length and CRC-32 it receives."""

    def __init__(self, sock: net.Socket, block: bytes, trailer: bytes) -> None:
        self.sock = sock
        self.block = memoryview(block)
        self.trailer = trailer
        self.sent = 0
        self.received = 0
        self.crc = 0
        self.ended = False
        self.errors: list[BaseException] = []
        self.closed: defer.Deferred[bool] = defer.Deferred()
        sock.on("data", self._on_data)
        sock.on("end", self._on_end)
        sock.on("error", self.errors.append)
        sock.on("close", self.closed.callback)

    def _on_data(self, data: bytes) -> None:
        self.received += len(data)
        self.crc = zlib.crc32(data, self.crc)

    def _on_end(self) -> None:
        self.ended = True

    def pump(self) -> None:
        sock = self.sock
        while self.sent < len(self.block):
            chunk = self.block[self.sent : self.sent + CHUNK]
            self.sent += len(chunk)
            if not sock.write(chunk):
                sock.once("drain", self.pump)
                return
        sock.end(self.trailer)


@pytest.mark.timeout(300)  # ~10 s on a busy 2-CPU machine; the default 120 s is tight
@pytest_twisted.ensureDeferred
async def test_thousand_connections_both_ways(figures: dict[str, str]) -> None:
    """1,000 connections are all open at once (2,000 twnet sockets), then each end of each
    sends 256 KiB (a shared random block and a 16-byte trailer naming the connection and
    the direction) and ends; every byte arrives, in order, on the right connection (length
    and CRC-32 per direction), with no 'error' and 'close'(False) everywhere."""
    ensure_fd_limit(2 * CONNECTIONS + 256)
    block = os.urandom(PAYLOAD - 16)
    block_crc = zlib.crc32(block)
    started = time.monotonic()
    server = net.createServer()
    accepted: list[Stream] = []
    all_accepted: defer.Deferred[None] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        index = len(accepted)
        accepted.append(Stream(conn, block, b"s%14d\n" % index))
        if len(accepted) == CONNECTIONS:
            all_accepted.callback(None)

    server.on("connection", on_connection)
    port = (await listen(server))["port"]
    clients: list[Stream] = []
    all_connected: defer.Deferred[None] = defer.Deferred()
    connected = 0

    def open_one() -> None:
        index = len(clients)
        sock = net.connect(port, "127.0.0.1")
        clients.append(Stream(sock, block, b"c%14d\n" % index))
        sock.once("connect", on_connect)

    def on_connect() -> None:
        nonlocal connected
        connected += 1
        if len(clients) < CONNECTIONS:
            open_one()
        elif connected == CONNECTIONS:
            all_connected.callback(None)

    for _ in range(OPENING):
        open_one()
    await bounded(all_connected, 60)
    await bounded(all_accepted, 60)
    held = len(clients) + len(accepted)
    assert held == 2 * CONNECTIONS
    assert all(not s.sock.destroyed for s in clients + accepted)
    opened = time.monotonic()
    for stream in clients + accepted:
        stream.pump()
    for stream in clients + accepted:
        assert await bounded(stream.closed, 60) is False
    moved = time.monotonic()
    closing: defer.Deferred[None] = defer.Deferred()
    server.close(lambda *_: closing.callback(None))
    await bounded(closing)
    checked = 0
    for stream in clients + accepted:
        assert stream.errors == []
        assert stream.ended
        assert stream.received == PAYLOAD
        checked += stream.received
    # Every client received one server socket's block and trailer, every server socket one
    # client's: each trailer exactly once, so nothing was lost, repeated or crossed over.
    for receivers, sender in ((clients, b"s"), (accepted, b"c")):
        expected = sorted(zlib.crc32(sender + b"%14d\n" % i, block_crc) for i in range(CONNECTIONS))
        assert sorted(stream.crc for stream in receivers) == expected
    figures["connections"] = (
        f"{CONNECTIONS} connections ({held} twnet sockets) open at once; "
        f"{checked / 2**20:.0f} MiB checked (256 KiB each way each); "
        f"open {opened - started:.1f} s, move {moved - opened:.1f} s"
    )


# -- connect/close cycles --------------------------------------------------------------------

VARIANTS = ["end", "destroy", "reset", "server-end"]


def live_twnet_objects() -> dict[str, int]:
    """How many twnet sockets, servers, protocols and Twisted transports are alive."""
    gc.collect()
    kinds = (net.Socket, net.Server, TCPHandle, tcp.Server, tcp.Client, unix.Server)
    counts = dict.fromkeys((k.__name__ for k in kinds), 0)
    for obj in gc.get_objects():
        for kind in kinds:
            if isinstance(obj, kind):
                counts[kind.__name__] += 1
    return counts


def pending_calls() -> int:
    return sum(1 for call in R.getDelayedCalls() if call.active())


async def run_cycles(variant: str, address: Any, count: int) -> dict[str, int]:
    """*count* connect/close cycles of *variant* against *address* (a port or a UNIX path),
    :data:`PARALLEL` at a time; returns the error codes seen, counted."""
    unix = isinstance(address, str)
    server = net.createServer()
    errors: dict[str, int] = {}
    state = {"started": 0, "client closed": 0, "accepted": 0, "server closed": 0}
    done: defer.Deferred[None] = defer.Deferred()

    def count_error(err: Any) -> None:
        errors[err.code] = errors.get(err.code, 0) + 1

    def check_done() -> None:
        if state["client closed"] == state["server closed"] == count:
            done.callback(None)

    def on_client_closed(*_: Any) -> None:
        state["client closed"] += 1
        if state["started"] < count:
            start()  # one cycle ends, the next begins: PARALLEL under way at most
        check_done()

    def on_server_closed(*_: Any) -> None:
        state["server closed"] += 1
        check_done()

    def on_connection(conn: net.Socket) -> None:
        state["accepted"] += 1
        conn.on("error", count_error)
        conn.on("close", on_server_closed)
        conn.on("data", lambda _: None)
        if variant == "server-end":
            conn.end()
        elif variant == "reset":
            conn.write(b"r" * 1024)  # on UNIX, left unread by the client's destroy()

    def act(client: net.Socket) -> None:
        if variant == "end":
            client.end()
        elif variant == "destroy" or (variant == "reset" and unix):
            client.destroy()
        elif variant == "reset":
            client.resetAndDestroy()

    def start() -> None:
        state["started"] += 1
        client = net.connect(address) if unix else net.connect(address, "127.0.0.1")
        client.on("error", count_error)
        client.on("close", on_client_closed)
        client.on("data", lambda _: None)
        client.once("connect", lambda: act(client))

    server.on("connection", on_connection)
    if unix:
        await listen(server, address)
    else:
        await listen(server, address, "127.0.0.1")
    for _ in range(min(PARALLEL, count)):
        start()
    try:
        await bounded(done, 120)
    except defer.TimeoutError:
        raise AssertionError(f"{variant} cycles to {address!r} did not finish: {state}") from None
    closing: defer.Deferred[None] = defer.Deferred()
    server.close(lambda *_: closing.callback(None))
    await bounded(closing)
    return errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.timeout(300)  # ~20-25 s on a busy 2-CPU machine
@pytest_twisted.ensureDeferred
async def test_connect_close_cycles_leave_nothing_behind(figures: dict[str, str]) -> None:
    """20,000 connect/close cycles, 2,500 of each of eight kinds (client ``end()``, client
    ``destroy()``, client RST (``resetAndDestroy``; on UNIX, which has no RST, ``destroy()``
    with the server's data unread), server-side ``end()``; over TCP and UNIX), 50 at a time.
    Every socket of every cycle reaches 'close', errors are only the resets a variant causes,
    and the open descriptors and the pending delayed calls are the same after as before, and
    no kind of twnet object is more numerous after than before."""
    per_variant = CYCLES // (2 * len(VARIANTS))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cycles.sock")
        targets: list[tuple[str, Callable[[], Any]]] = [
            ("TCP", free_port),
            ("UNIX", lambda: path),
        ]
        # A warm-up round first: what twnet and Twisted create once (caches, the resolver,
        # lazily built tables) is not a leak.
        for _, target in targets:
            for variant in VARIANTS:
                await run_cycles(variant, target(), 20)
        fds, calls, objects = open_fds(), pending_calls(), live_twnet_objects()
        started = time.monotonic()
        seen: dict[str, dict[str, int]] = {}
        for kind, target in targets:
            for variant in VARIANTS:
                seen[f"{kind} {variant}"] = await run_cycles(variant, target(), per_variant)
        elapsed = time.monotonic() - started
        assert open_fds() == fds
        assert pending_calls() == calls
        # nothing accumulates (an object an earlier test left and freed meanwhile is no
        # leak of this one)
        after = live_twnet_objects()
        assert {k: n for k, n in after.items() if n > objects[k]} == {}, (objects, after)
    for name, errors in seen.items():
        allowed = {"ECONNRESET", "EPIPE"} if "reset" in name else set()
        assert set(errors) <= allowed, (name, errors)
    total = per_variant * len(seen)
    figures["cycles"] = (
        f"{total} connect/close cycles ({per_variant} x {len(seen)} kinds) in {elapsed:.1f} s; "
        f"descriptors {fds}, pending calls {calls}, twnet objects {sum(objects.values())} "
        "before and after"
    )
