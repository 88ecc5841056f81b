"""Time under control: a socket's idle timeout driven by a Twisted Clock, over a real
connection (run: pytest -p twnet.testing)."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet import reactor
from twisted.internet.task import Clock

import twnet as net


class ClockTime:
    """A reactor whose time is a Clock: the socket's timers wait for clock.advance(), its
    network I/O is the real reactor's."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def callLater(self, *args: Any, **kwargs: Any) -> Any:
        return self.clock.callLater(*args, **kwargs)

    def seconds(self) -> float:
        return self.clock.seconds()

    def getDelayedCalls(self) -> Any:
        return self.clock.getDelayedCalls()

    def __getattr__(self, name: str) -> Any:
        return getattr(reactor, name)


@pytest.fixture(autouse=True)
def _clean(twnet_reactor_clean: None) -> None:
    """Fail any test that leaves a socket, a server or a timer behind (twnet.testing)."""


@pytest_twisted.ensureDeferred
async def test_an_idle_client_times_out_after_five_seconds() -> None:
    conns: list[Any] = []

    def on_connection(conn: net.Socket) -> None:
        conns.append(net.once(conn, "close"))  # a silent server: never writes

    server = await net.createServer(on_connection).listen(0, "127.0.0.1")
    clock = Clock()
    sock = net.Socket(reactor=ClockTime(clock))
    await sock.connect(server.address()["port"], "127.0.0.1")
    timeouts: list[str] = []
    sock.setTimeout(5000, lambda: timeouts.append("timeout"))

    clock.advance(4.999)
    assert timeouts == []
    clock.advance(0.001)
    assert timeouts == ["timeout"]  # exactly at 5 s; 'timeout' only tells: destroy is ours

    sock_closed = net.once(sock, "close")
    sock.destroy()
    await sock_closed
    async with server:
        pass
    for closed in conns:
        await closed
    assert not clock.getDelayedCalls()
