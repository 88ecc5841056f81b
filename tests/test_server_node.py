"""A twnet server driven by a real Node 24 client process.

The reactor keeps running while ``node`` runs (``getProcessOutputAndValue``, never a blocking
``subprocess.run``): the twnet server under test lives on that very reactor. The Node script
bounds itself (an unref'd 5 s timer that exits with status 3), and the test bounds its wait.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import reactor
from twisted.internet.defer import Deferred
from twisted.internet.utils import getProcessOutputAndValue

import twnet
from tests._node import find_node
from twnet import Server, Socket, once

NODE = find_node((24, 0, 0))

pytestmark = pytest.mark.skipif(NODE is None, reason="Node >= 24 not found (see tests/_node.py)")

CLIENT = r"""
const net = require('net');
const [target, host] = process.argv.slice(1);
setTimeout(() => { console.error('node client timed out'); process.exit(3); }, 5000).unref();
const log = [];
const chunks = [];
let ports = { localPort: null, remotePort: null };
const opts = isNaN(Number(target)) ? { path: target } : { port: Number(target), host };
const client = net.connect(opts, () => {
  log.push('connect');
  ports = { localPort: client.localPort ?? null, remotePort: client.remotePort ?? null };
  client.write('hello from node');
});
client.setEncoding('utf8');
client.on('data', (d) => {
  chunks.push(d);
  if (chunks.join('') === 'echo: hello from node') {
    log.push('echoed');
    client.end();  // half-close: the server may still answer
  }
});
client.on('end', () => log.push('end'));
client.on('error', (e) => log.push('error ' + e.code));
client.on('close', (hadError) => {
  log.push('close ' + hadError);
  console.log(JSON.stringify({
    log, data: chunks.join(''), ...ports, bytesWritten: client.bytesWritten,
  }));
});
"""


def half_open_echo_server() -> tuple[Server, dict[str, Any], Deferred[None]]:
    """An ``allowHalfOpen`` server that echoes with a prefix and, after the client's FIN,
    writes a last word and ends. Returns the server, what it saw, and its socket's close."""
    seen: dict[str, Any] = {"events": [], "data": b""}
    socket_closed: Deferred[None] = Deferred()

    def on_connection(sock: Socket) -> None:
        seen["remoteAddress"] = sock.remoteAddress
        seen["remoteFamily"] = sock.remoteFamily
        seen["remotePort"] = sock.remotePort

        def on_data(data: bytes) -> None:
            seen["data"] += data
            if seen["data"] == b"hello from node":
                sock.write(b"echo: " + seen["data"])

        def on_end() -> None:
            seen["events"].append("end")
            seen["writable_after_end"] = sock.writable
            sock.end(b" / bye")

        def on_close(had_error: bool) -> None:
            seen["events"].append(f"close {had_error}")
            seen["bytesRead"] = sock.bytesRead
            socket_closed.callback(None)

        sock.on("data", on_data)
        sock.on("end", on_end)
        sock.on("close", on_close)

    server = twnet.createServer({"allowHalfOpen": True}, on_connection)
    return server, seen, socket_closed


async def run_client(*argv: str) -> dict[str, Any]:
    assert NODE is not None
    d = getProcessOutputAndValue(NODE, ["-e", CLIENT, *argv], env=dict(os.environ))
    d.addTimeout(15, reactor)
    out, err, code = await d
    assert code == 0, err.decode()
    result: dict[str, Any] = json.loads(out)
    return result


@pytest_twisted.ensureDeferred
async def test_node_client_against_a_twnet_tcp_server() -> None:
    server, seen, socket_closed = half_open_echo_server()
    server.listen(0)  # Node's default host: '::', dual-stack
    await once(server, "listening")
    port = server.address().port

    node = await run_client(str(port), "127.0.0.1")
    await socket_closed

    # what Node saw: the echo, then (after its own end()) the server's last word and FIN
    assert node["data"] == "echo: hello from node / bye"
    assert node["log"] == ["connect", "echoed", "end", "close false"]
    assert node["bytesWritten"] == len(b"hello from node")
    assert node["remotePort"] == port
    # what twnet saw: an IPv4 client on the dual-stack socket, its bytes, its FIN
    assert seen["data"] == b"hello from node"
    assert seen["remoteAddress"] == "::ffff:127.0.0.1"
    assert seen["remoteFamily"] == "IPv6"
    assert seen["remotePort"] == node["localPort"]
    assert seen["events"] == ["end", "close False"]
    assert seen["writable_after_end"] is True
    assert seen["bytesRead"] == len(b"hello from node")

    closed = once(server, "close")
    server.close()
    await closed


@pytest_twisted.ensureDeferred
async def test_node_client_against_a_twnet_unix_server(tmp_path: Path) -> None:
    path = str(tmp_path / "node.sock")
    if len(path) >= 100:
        pytest.skip("tmp_path too long for a UNIX socket path")
    server, seen, socket_closed = half_open_echo_server()
    server.listen(path)
    await once(server, "listening")

    node = await run_client(path)
    await socket_closed

    assert node["data"] == "echo: hello from node / bye"
    assert node["log"] == ["connect", "echoed", "end", "close false"]
    assert seen["data"] == b"hello from node"
    assert seen["events"] == ["end", "close False"]

    closed = once(server, "close")
    server.close()
    await closed
    assert not os.path.exists(path)
