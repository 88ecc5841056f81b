"""twnet.service.NetServerService: listening when started; a graceful stop (stop accepting,
a grace period for open connections, then destroy them; the Deferred fires when all is
closed); and the examples/echo_service.tac application under a real ``twistd`` with
connected clients and SIGTERM (a second SIGTERM ends the grace period, without a
traceback)."""

from __future__ import annotations

import os
import signal
import socket as pysocket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.task import Clock

import twnet
from tests._node import REPO_ROOT
from tests._sockets import ClockReactor
from twnet.service import NetServerService

R: Any = _reactor
TAC = REPO_ROOT / "examples" / "echo_service.tac"
_TWISTD = "from twisted.scripts.twistd import run; run()"  # twistd, with this Python


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        NetServerService(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        NetServerService(twnet.createServer(), gracePeriod=-1)
    with pytest.raises(ValueError):
        NetServerService(twnet.createServer(), gracePeriod=float("nan"))
    with pytest.raises(TypeError):
        NetServerService(twnet.createServer(), gracePeriod="5000")


async def _started(service: NetServerService) -> int:
    service.startService()
    await twnet.once(service.server, "listening")
    return int(service.server.address()["port"])


@pytest_twisted.ensureDeferred
async def test_stop_waits_for_connections_within_the_grace_period() -> None:
    clock = Clock()
    accepted: list[twnet.Socket] = []
    server = twnet.createServer(accepted.append)
    service = NetServerService(
        server, 0, "127.0.0.1", gracePeriod=5000, reactor=ClockReactor(clock)
    )
    port = await _started(service)
    client = twnet.connect(port, "127.0.0.1")
    await twnet.once(server, "connection")
    stopping = service.stopService()
    assert not server.listening and not stopping.called  # stopped accepting, one still open
    assert len(clock.getDelayedCalls()) == 1  # the grace timer
    # The open connection still works during the grace period.
    echoed = twnet.once(accepted[0], "data")
    client.write(b"still here")
    assert await echoed == [b"still here"]
    client_closed, accepted_closed = closed(client), closed(accepted[0])
    client.end()
    accepted[0].end()
    await client_closed
    await accepted_closed
    await stopping  # fired once the last connection closed, before the grace period ended
    assert clock.getDelayedCalls() == []  # the grace timer was cancelled
    assert not service.running


@pytest_twisted.ensureDeferred
async def test_connections_left_after_the_grace_period_are_destroyed() -> None:
    clock = Clock()
    server = twnet.createServer()
    service = NetServerService(
        server, 0, "127.0.0.1", gracePeriod=2000, reactor=ClockReactor(clock)
    )
    port = await _started(service)
    client = twnet.connect(port, "127.0.0.1")
    (conn,) = await twnet.once(server, "connection")
    client_end = twnet.once(client, "end")
    conn_closed, client_closed = closed(conn), closed(client)
    stopping = service.stopService()
    assert service.stopService() is stopping  # a second stop gets the same Deferred
    clock.advance(1.999)
    assert not stopping.called and not conn.destroyed
    clock.advance(0.001)
    assert conn.destroyed
    await conn_closed
    await stopping
    await client_end  # the client saw the server's side close
    await closed_or_now(client, client_closed)


async def closed_or_now(sock: twnet.Socket, waiting: defer.Deferred[list[Any]]) -> None:
    if not sock.destroyed:
        sock.destroy()
    await waiting


@pytest_twisted.ensureDeferred
async def test_grace_period_zero_and_idle_stop() -> None:
    server = twnet.createServer()
    service = NetServerService(server, 0, "127.0.0.1", gracePeriod=0)
    port = await _started(service)
    client = twnet.connect(port, "127.0.0.1")
    (conn,) = await twnet.once(server, "connection")
    client_closed = closed(client)
    await service.stopService()
    assert conn.destroyed
    await client_closed
    # A service whose server never listened stops at once.
    idle = NetServerService(twnet.createServer(), gracePeriod=None)
    assert idle.stopService().called


# -- twistd -------------------------------------------------------------------------------


class Twistd:
    def __init__(self, grace_ms: int, **extra_env: str) -> None:
        env = {
            **os.environ,
            **extra_env,
            "TWNET_PORT": "0",
            "TWNET_GRACE_MS": str(grace_ms),
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TWISTD, "-n", "--pidfile=", "-y", str(TAC)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
        self.lines: list[str] = []

    def wait_for(self, text: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"twistd ended before {text!r}:\n{''.join(self.lines)}")

    def finish(self) -> str:
        try:
            out, _ = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
            raise AssertionError("twistd did not exit:\n" + "".join(self.lines) + out) from None
        return "".join(self.lines) + out


def _client(port: int) -> pysocket.socket:
    sock = pysocket.create_connection(("127.0.0.1", port), timeout=20)
    sock.sendall(b"ping")
    assert sock.recv(100) == b"ping"
    return sock


def _refused(port: int) -> None:
    """No new connection is served: refused once Twisted has closed the listening socket
    (a turn after close()); until then one may be accepted by the kernel, and twnet drops it
    at once."""
    for _ in range(50):
        try:
            late = pysocket.create_connection(("127.0.0.1", port), timeout=20)
        except ConnectionRefusedError:
            return
        with late:
            try:
                assert late.recv(10) == b""
            except ConnectionResetError:
                pass
    raise AssertionError("the server still accepted connections after SIGTERM")


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_twistd_sigterm_with_connected_clients() -> None:
    """Grace period 60 s: SIGTERM stops accepting, open connections keep working; one client
    leaves by itself; a second SIGTERM closes the other at once; exit 0, no traceback."""
    twistd = Twistd(grace_ms=60000)
    try:
        line = twistd.wait_for("twnet: listening on 127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        first, second = _client(port), _client(port)
        twistd.proc.send_signal(signal.SIGTERM)
        twistd.wait_for("twnet: stopped accepting; 2 connection(s) open")
        _refused(port)
        second.sendall(b"during grace")
        assert second.recv(100) == b"during grace"
        first.close()  # leaves by itself
        twistd.proc.send_signal(signal.SIGTERM)
        twistd.wait_for("closing connections now")
        assert second.recv(100) == b""  # closed by the server
        second.close()
        output = twistd.finish()
    finally:
        if twistd.proc.poll() is None:
            twistd.proc.kill()
            twistd.proc.wait()
    # twistd ends by the signal that stopped it (Twisted re-raises it once shut down).
    assert twistd.proc.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output and "Unhandled" not in output, output
    assert "Main loop terminated." in output


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_twistd_grace_period_ends_with_a_client_connected() -> None:
    twistd = Twistd(grace_ms=200)
    try:
        line = twistd.wait_for("twnet: listening on 127.0.0.1:")
        client = _client(int(line.rsplit(":", 1)[1]))
        twistd.proc.send_signal(signal.SIGTERM)
        assert client.recv(100) == b""  # destroyed once the grace period ended
        client.close()
        output = twistd.finish()
    finally:
        if twistd.proc.poll() is None:
            twistd.proc.kill()
            twistd.proc.wait()
    # twistd ends by the signal that stopped it (Twisted re-raises it once shut down).
    assert twistd.proc.returncode in (0, -signal.SIGTERM), output
    assert "destroying 1 connection(s)" in output, output
    assert "Traceback" not in output, output


def test_tac_is_documented() -> None:
    text = Path(REPO_ROOT / "docs" / "twisted.rst").read_text()
    assert "echo_service.tac" in text


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_twistd_tls_echo(tmp_path: Path) -> None:
    """The same .tac serving twnet.tls (TWNET_TLS_CERT/KEY), talked to by Python's ssl."""
    import ssl

    from tests.tls.certs import make_certs

    paths = make_certs(tmp_path)
    twistd = Twistd(
        grace_ms=100,
        TWNET_TLS_CERT=str(paths["server.pem"]),
        TWNET_TLS_KEY=str(paths["server.key"]),
    )
    try:
        line = twistd.wait_for("twnet: listening on 127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        context = ssl.create_default_context(cafile=str(paths["ca.pem"]))
        raw = pysocket.create_connection(("127.0.0.1", port), timeout=20)
        with context.wrap_socket(raw, server_hostname="localhost") as tls_sock:
            tls_sock.sendall(b"over TLS")
            assert tls_sock.recv(100) == b"over TLS"
            assert tls_sock.version() == "TLSv1.3"
        twistd.proc.send_signal(signal.SIGTERM)
        output = twistd.finish()
    finally:
        if twistd.proc.poll() is None:
            twistd.proc.kill()
            twistd.proc.wait()
    assert twistd.proc.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output, output
