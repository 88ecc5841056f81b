"""net.Socket against a real Node 24 peer, both ways: twnet server <-> node client and node
server <-> twnet client, half-open in both directions, and a node peer that stops reading
(back-pressure: twnet's ``write()`` and ``bufferSize`` tell the truth, memory stays bounded).

Node runs under ``reactor.spawnProcess`` (the reactor keeps serving our sockets meanwhile),
each run bounded by a timeout; the tests are skipped only when no node is installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer, protocol
from twisted.internet import reactor as _reactor
from twisted.python.failure import Failure

import twnet
import twnet as net
from tests._node import find_node
from tests._sockets import fill

R: Any = _reactor
NODE = find_node()
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

# The node side prints one JSON document per line on stdout; it reads commands from stdin.
PRELUDE = r"""
const net = require('net');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const commands = [];
let onCommand = null;
require('readline').createInterface({input: process.stdin}).on('line', (line) => {
  if (onCommand) onCommand(line); else commands.push(line);
});
"""


class NodeProcess(protocol.ProcessProtocol):
    """A node child: its stdout lines as a queue of Deferreds, its exit as ``ended``."""

    def __init__(self) -> None:
        self.lines: defer.DeferredQueue[Any] = defer.DeferredQueue()
        self.ended: defer.Deferred[int] = defer.Deferred()
        self.stderr = b""
        self._partial = b""

    def outReceived(self, data: bytes) -> None:
        self._partial += data
        *lines, self._partial = self._partial.split(b"\n")
        for line in lines:
            self.lines.put(json.loads(line))

    def errReceived(self, data: bytes) -> None:
        self.stderr += data

    def processEnded(self, reason: Failure) -> None:
        code = getattr(reason.value, "exitCode", None)
        self.ended.callback(-1 if code is None else code)  # None: killed by a signal

    def send(self, line: str) -> None:
        assert self.transport is not None
        self.transport.write(line.encode() + b"\n")


async def run_node(
    script: str, body: Callable[[NodeProcess], Any], timeout: float = 15
) -> NodeProcess:
    """Run *script* in node while ``await body(proc)`` runs; kill node after *timeout* s."""
    proc = NodeProcess()
    assert NODE is not None
    R.spawnProcess(proc, NODE, [NODE, "-e", PRELUDE + script], env=dict(os.environ))
    killer = R.callLater(timeout, lambda: proc.transport and proc.transport.signalProcess("KILL"))
    try:
        await body(proc)
        assert proc.transport is not None
        proc.transport.closeStdin()  # node's readline ends: node exits once it is idle
        code = await proc.ended
        assert code == 0, proc.stderr.decode()
    finally:
        if killer.active():
            killer.cancel()
        if not proc.ended.called:
            if proc.transport is not None:
                proc.transport.signalProcess("KILL")
            await proc.ended
    return proc


async def close_server(server: net.Server) -> None:
    closing = twnet.once(server, "close")
    server.close()
    await closing


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


async def next_turn() -> None:
    d: defer.Deferred[None] = defer.Deferred()
    R.callLater(0, d.callback, None)
    await d


# -- twnet server <-> node client -----------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_twnet_server_node_client_half_open() -> None:
    """The node client writes and half-closes; twnet (allowHalfOpen) still answers, then
    ends; node sees the answer and 'end'."""
    log: list[Any] = []
    accepted: defer.Deferred[net.Socket] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        chunks: list[bytes] = []
        conn.on("data", chunks.append)

        def on_end() -> None:
            log.append(("end", b"".join(chunks)))
            assert conn.writable and conn.readyState == "writeOnly"
            conn.write(b"pong:")
            conn.end(b"".join(chunks))

        conn.on("end", on_end)
        accepted.callback(conn)

    server = net.createServer({"allowHalfOpen": True}, on_connection)
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    port = server.address()["port"]  # type: ignore[index]
    script = f"""
    const c = net.connect({port}, '127.0.0.1', () => {{ c.write('ping'); c.end(); }});
    let got = '';
    c.on('data', (d) => got += d);
    c.on('end', () => out({{got, writableEnded: c.writableEnded}}));
    c.on('close', (hadError) => {{ out({{close: hadError}}); process.exit(0); }});
    """

    async def body(proc: NodeProcess) -> None:
        conn = await accepted
        conn_closed = closed(conn)
        assert await proc.lines.get() == {"got": "pong:ping", "writableEnded": True}
        assert await proc.lines.get() == {"close": False}
        assert await conn_closed == [False]

    await run_node(script, body)
    assert log == [("end", b"ping")]
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_twnet_server_ends_first_node_client_half_open() -> None:
    """twnet ends first; the node client (allowHalfOpen) keeps writing; twnet reads it."""
    received: defer.Deferred[bytes] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        chunks: list[bytes] = []
        conn.on("data", chunks.append)
        conn.on("end", lambda: received.callback(b"".join(chunks)))
        conn.end(b"bye")

    server = net.createServer({"allowHalfOpen": True}, on_connection)
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    port = server.address()["port"]  # type: ignore[index]
    script = f"""
    const c = net.connect({{port: {port}, host: '127.0.0.1', allowHalfOpen: true}});
    c.on('data', (d) => out({{data: String(d)}}));
    c.on('end', () => {{ c.write('after your FIN'); c.end(); }});
    c.on('close', () => process.exit(0));
    """

    async def body(proc: NodeProcess) -> None:
        assert await proc.lines.get() == {"data": "bye"}
        assert await received == b"after your FIN"

    await run_node(script, body)
    await close_server(server)


# -- node server <-> twnet client -----------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_node_server_twnet_client_half_open_both_ways() -> None:
    script = """
    const server = net.createServer({allowHalfOpen: true}, (c) => {
      let got = '';
      c.on('data', (d) => got += d);
      c.on('end', () => { c.write('you sent ' + got); c.end(); });
      c.on('close', () => server.close(() => out({done: true})));
    });
    server.listen(0, '127.0.0.1', () => out({port: server.address().port}));
    """

    async def body(proc: NodeProcess) -> None:
        port = (await proc.lines.get())["port"]
        client = net.connect(port, "127.0.0.1")
        log: list[Any] = []
        chunks: list[bytes] = []
        client.on("data", chunks.append)
        for name in ("connect", "finish", "end"):
            client.on(name, lambda *a, _n=name: log.append(_n))
        client.write("hello ")
        client.end("node")  # queued while connecting, then half-closed
        assert await closed(client) == [False]
        assert b"".join(chunks) == b"you sent hello node"
        assert log == ["connect", "finish", "end"]
        assert client.bytesWritten == 10 and client.bytesRead == 19
        assert await proc.lines.get() == {"done": True}

    await run_node(script, body)


@pytest_twisted.ensureDeferred
async def test_node_server_ends_first_twnet_client_allow_half_open() -> None:
    script = """
    const server = net.createServer({allowHalfOpen: true}, (c) => {
      let got = '';
      c.on('data', (d) => got += d);
      c.on('end', () => { out({got}); server.close(); });
      c.end('early FIN');
    });
    server.listen(0, '127.0.0.1', () => out({port: server.address().port}));
    """

    async def body(proc: NodeProcess) -> None:
        port = (await proc.lines.get())["port"]
        client = net.connect({"port": port, "host": "127.0.0.1", "allowHalfOpen": True})
        chunks: list[bytes] = []
        client.on("data", chunks.append)
        await twnet.once(client, "end")
        assert chunks == [b"early FIN"] and client.readyState == "writeOnly"
        client.end(b"still writing")
        assert await closed(client) == [False]
        assert await proc.lines.get() == {"got": "still writing"}

    await run_node(script, body)


@pytest_twisted.ensureDeferred
async def test_node_peer_stops_reading_backpressure() -> None:
    """The node server pauses its socket: our writes back up; write() says False,
    bufferSize grows by exactly what was not taken, memory stays bounded; 'drain' comes
    once node resumes and node receives every byte."""
    script = """
    const server = net.createServer((c) => {
      c.pause();
      let n = 0;
      c.on('data', (d) => n += d.length);
      c.on('end', () => { out({received: n}); server.close(); });
      onCommand = () => c.resume();
      out({paused: true});
    });
    server.listen(0, '127.0.0.1', () => out({port: server.address().port}));
    """

    async def body(proc: NodeProcess) -> None:
        port = (await proc.lines.get())["port"]
        client = net.connect(port, "127.0.0.1")
        await twnet.once(client, "connect")
        assert await proc.lines.get() == {"paused": True}
        chunk = b"n" * 65536
        sent = await fill(client, chunk, limit=128 << 20)
        assert client.bytesWritten == sent
        assert client.writableNeedDrain and client.bufferSize == client.writableLength
        # twnet holds what neither the kernel nor Twisted took: at least the high-water
        # mark, at most what was written; Twisted's own buffer stays at about 64 KiB.
        assert client.writableHighWaterMark <= client.bufferSize <= sent
        transport = client._handle.transport
        assert len(transport.dataBuffer) + transport._tempDataLen <= 2 * 65536 + len(chunk)
        drained = twnet.once(client, "drain")
        proc.send("resume")
        await drained
        assert client.bufferSize == 0
        client.end()
        assert await closed(client) == [False]
        assert await proc.lines.get() == {"received": sent}

    await run_node(script, body, timeout=25)


@pytest_twisted.ensureDeferred
async def test_node_client_stops_reading_twnet_server_backpressure() -> None:
    """The other way: a twnet server writing to a node client that paused."""
    accepted: defer.Deferred[net.Socket] = defer.Deferred()
    server = net.createServer(accepted.callback)
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    port = server.address()["port"]  # type: ignore[index]
    script = f"""
    const c = net.connect({port}, '127.0.0.1', () => out({{connected: true}}));
    c.pause();
    let n = 0;
    c.on('data', (d) => n += d.length);
    c.on('end', () => {{ out({{received: n}}); c.end(); }});
    onCommand = () => c.resume();
    """

    async def body(proc: NodeProcess) -> None:
        conn = await accepted
        assert await proc.lines.get() == {"connected": True}
        sent = await fill(conn, b"s" * 65536, limit=128 << 20)
        assert conn.writableNeedDrain and conn.bufferSize >= conn.writableHighWaterMark
        drained = twnet.once(conn, "drain")
        proc.send("resume")
        await drained
        conn_closed = closed(conn)
        conn.end()
        assert await proc.lines.get() == {"received": sent}
        assert await conn_closed == [False]

    await run_node(script, body, timeout=25)
    await close_server(server)
