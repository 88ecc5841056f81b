"""A twnet server tested with pytest and pytest-twisted (run: pytest -p twnet.testing)."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted

import twnet as net


def upper(conn: net.Socket) -> None:
    """The code under test: answers each piece of text in capitals, ends when the client does."""
    conn.setEncoding("utf8")
    conn.on("data", lambda text: conn.write(text.upper()))
    conn.on("end", lambda: conn.end())


@pytest.fixture(autouse=True)
def _clean(twnet_reactor_clean: None) -> None:
    """Fail any test that leaves a socket, a server or a timer behind (twnet.testing)."""


@pytest_twisted.ensureDeferred
async def test_upper_answers_in_capitals() -> None:
    accepted: list[Any] = []

    def on_connection(conn: net.Socket) -> None:
        accepted.append(net.once(conn, "close"))  # each socket's own 'close', to wait for
        upper(conn)

    async with await net.createServer(on_connection).listen(0, "127.0.0.1") as server:
        sock = await net.connect(server.address()["port"], "127.0.0.1")
        sock_closed = net.once(sock, "close")
        sock.end("hello, world")
        answer = b"".join([chunk async for chunk in sock])
        assert answer == b"HELLO, WORLD"
    # the server closed, its connections too; wait for every socket's 'close'
    await sock_closed
    for closed in accepted:
        await closed


@pytest_twisted.ensureDeferred
async def test_a_refused_connection_raises() -> None:
    server = await net.createServer().listen(0, "127.0.0.1")
    port = server.address()["port"]
    async with server:
        pass  # closed: nothing listens on the port now
    sock = net.connect(port, "127.0.0.1")
    with pytest.raises(Exception) as info:
        await sock
    assert info.value.code == "ECONNREFUSED"
    assert sock.destroyed
    await net.once(sock, "close")  # it comes a loop turn after the error, as in Node
