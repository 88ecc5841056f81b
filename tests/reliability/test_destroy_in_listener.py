"""``destroy()`` from inside every listener and callback of a client socket, and of a server's
accepted socket (and its 'connection' listener), gives exactly
Node 24's events, in Node's order: one ``'close'`` (``had_error`` True only after an
``'error'``), every write callback once, with Node's error (``ERR_SOCKET_CLOSED_BEFORE_CONNECTION``,
``ERR_SOCKET_CLOSED``) or None.

``destroy_in_listener.js`` runs the same cases under Node 24 (in one process, for the whole
module) and prints each case's log; each test runs one case in twnet and compares.
``'connectionAttempt'`` is tested on twnet alone: Node 24 itself crashes there
(``TypeError: Cannot read properties of null (reading 'connect')`` in ``internalConnect``).
"""

from __future__ import annotations

import functools
import json
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer

import twnet as net
from tests._node import find_node
from tests._sockets import next_turn
from tests.reliability._peers import bounded, listen

SCRIPT = Path(__file__).with_name("destroy_in_listener.js")
CASES = [
    "lookup",
    "connect",
    "ready",
    "data",
    "end",
    "finish",
    "drain",
    "timeout",
    "error",
    "close",
    "writeCallback",
    "endCallback",
]
EVENTS = ["lookup", "connectionAttempt", "connect", "ready", "data", "end", "finish", "drain"]


@functools.cache
def node_logs() -> dict[str, list[str]]:
    try:
        node = find_node((24, 0, 0))
    except RuntimeError as e:
        pytest.skip(str(e))
    if node is None:
        pytest.skip("Node 24 not found (tests/_node.py)")
    out = subprocess.run(
        [node, str(SCRIPT)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    logs: dict[str, list[str]] = json.loads(out)
    return logs


def _code(err: Any) -> str:
    return "null" if err is None else str(err.code)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def run_case(name: str, port: int) -> list[str]:
    """The twin of ``runCase`` in destroy_in_listener.js."""
    log: list[str] = []
    done: defer.Deferred[None] = defer.Deferred()
    target = closed_port() if name == "error" else port
    options: dict[str, Any] = (
        {"host": "localhost", "port": target, "family": 4}
        if name == "lookup"
        else {"host": "127.0.0.1", "port": target}
    )
    client = net.connect(options)

    def cb(tag: str) -> Any:
        return lambda err=None: log.append(f"{tag} {_code(err)}")

    def destroy_in(event: str) -> Any:
        def listener(*_: Any) -> None:
            log.append(f"{event}: destroy")
            client.destroy()

        return listener

    for event in [*EVENTS, "timeout"]:
        if event == name:
            client.on(event, destroy_in(event))
        else:
            client.on(event, lambda *_, _e=event: log.append(_e))

    def on_error(err: Any) -> None:
        log.append(f"error {err.code}")
        if name == "error":
            destroy_in("error")()

    def on_close(had_error: bool) -> None:
        log.append(f"close {'true' if had_error else 'false'}")
        if name == "close":
            destroy_in("close")()
        if not done.called:
            done.callback(None)

    client.on("error", on_error)
    client.on("close", on_close)
    client.write("first", cb("write1"))
    if name == "timeout":
        client.setTimeout(20)
    if name == "finish":
        client.end("last", cb("end"))
    if name == "writeCallback":

        def second(err: Any = None) -> None:
            log.append(f"write2 {_code(err)}")
            destroy_in("write2")()

        client.write("second", second)
    if name == "endCallback":

        def ended(err: Any = None) -> None:
            log.append(f"end {_code(err)}")
            destroy_in("end callback")()

        client.end("last", ended)
    if name == "drain":
        big = b"d" * client.writableHighWaterMark
        log.append(f"write big {'true' if client.write(big, cb('write big')) else 'false'}")
    await bounded(done)
    for _ in range(2):  # Node: setImmediate(() => setImmediate(resolve))
        await next_turn()
    return log


async def serve(name: str) -> net.Server:
    def on_connection(conn: net.Socket) -> None:
        conn.on("error", lambda _: None)
        conn.on("data", lambda _: None)
        if name == "data":
            conn.write("hi")
        if name in ("end", "close"):
            conn.end("bye")

    return net.createServer(on_connection)


async def close_server(server: net.Server) -> None:
    d: defer.Deferred[None] = defer.Deferred()
    server.close(lambda *_: d.callback(None))
    await bounded(d)
    # As in Node, the server's 'close' comes as its last socket is destroyed, one loop turn
    # before that socket's own 'close'.
    await next_turn()


SERVER_CASES = ["connection", "data", "end", "finish", "writeCallback", "close"]


async def run_server_case(name: str) -> list[str]:
    """The twin of ``runServerCase`` in destroy_in_listener.js."""
    log: list[str] = []
    done: defer.Deferred[None] = defer.Deferred()

    def on_connection(conn: net.Socket) -> None:
        def destroy_in(event: str) -> Any:
            def listener(*_: Any) -> None:
                log.append(f"{event}: destroy")
                conn.destroy()

            return listener

        for event in ["data", "end", "finish"]:
            if event == name:
                conn.on(event, destroy_in(event))
            else:
                conn.on(event, lambda *_, _e=event: log.append(_e))
        conn.on("error", lambda err: log.append(f"error {err.code}"))

        def on_close(had_error: bool) -> None:
            log.append(f"close {'true' if had_error else 'false'}")
            if name == "close":
                destroy_in("close")()
            server.close()
            done.callback(None)

        conn.on("close", on_close)

        def cb(tag: str) -> Any:
            return lambda err=None: log.append(f"{tag} {_code(err)}")

        if name == "writeCallback":

            def written(err: Any = None) -> None:
                cb("write")(err)
                destroy_in("write")()

            conn.write("w", written)
        else:
            conn.write("w", cb("write"))
        if name == "finish":
            conn.end("e", cb("end"))
        if name == "connection":
            destroy_in("connection")()

    server = net.createServer(on_connection)
    address = await listen(server)
    client = net.connect(address["port"], "127.0.0.1", lambda: client.end("hello"))
    client.on("error", lambda _: None)
    client.on("data", lambda _: None)
    client_closed: defer.Deferred[None] = defer.Deferred()
    client.on("close", lambda *_: client_closed.callback(None))
    await bounded(done)
    for _ in range(2):
        await next_turn()
    await bounded(client_closed)
    return log


@pytest.mark.parametrize("name", SERVER_CASES)
@pytest_twisted.ensureDeferred
async def test_destroy_in_server_listener(name: str) -> None:
    """The accepted socket, destroyed inside the server's 'connection' listener or inside
    one of its own listeners or callbacks: Node 24's events, in Node's order."""
    expected = node_logs()[f"server {name}"]
    assert await run_server_case(name) == expected


@pytest.mark.parametrize("name", CASES)
@pytest_twisted.ensureDeferred
async def test_destroy_in_listener(name: str) -> None:
    expected = node_logs()[name]
    server = await serve(name)
    address = await listen(server)
    try:
        got = await run_case(name, address["port"])
    finally:
        await close_server(server)
    assert got == expected


@pytest_twisted.ensureDeferred
async def test_destroy_in_connection_attempt() -> None:
    """Where Node 24 crashes, twnet closes as for any ``destroy()`` while connecting: no
    'connect', one 'close'(False), the queued write's callback once with
    ERR_SOCKET_CLOSED_BEFORE_CONNECTION, and no connection reaches the server."""
    server = await serve("connectionAttempt")
    address = await listen(server)
    log: list[str] = []
    server.on("connection", lambda conn: log.append("server: connection"))
    done: defer.Deferred[None] = defer.Deferred()
    client = net.connect(address["port"], "127.0.0.1")
    client.on("connectionAttempt", lambda *_: client.destroy())
    client.on("connect", lambda: log.append("connect"))
    client.on("error", lambda err: log.append(f"error {err.code}"))
    client.on("close", lambda had_error: (log.append(f"close {had_error}"), done.callback(None)))
    client.write("first", lambda err=None: log.append(f"write1 {_code(err)}"))
    await bounded(done)
    for _ in range(3):
        await next_turn()
    assert log == ["close False", "write1 ERR_SOCKET_CLOSED_BEFORE_CONNECTION"]
    await close_server(server)
