"""``python -m twnet``: the echo server and the netcat-like client, run as subprocesses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import _process

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [_process.twnet_path(), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env


def twnet_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "twnet", *args],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        env=_env(),
    )


class EchoServer:
    """A running ``python -m twnet echo``; stop() sends SIGINT and returns (status, output)."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twnet", "echo", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline().strip()
        assert self.first_line.startswith("server bound: listening on "), self.first_line

    @property
    def where(self) -> str:
        return self.first_line.rsplit(" ", 1)[1]

    @property
    def port(self) -> int:
        return int(self.where.rsplit(":", 1)[1])

    def stop(self) -> tuple[int, str, str]:
        return _process.stop(self.proc, signal.SIGINT, TIMEOUT)

    def kill(self) -> None:
        _process.kill(self.proc)


@pytest.fixture
def tcp_echo() -> Iterator[EchoServer]:
    server = EchoServer("--port", "0", "--host", "127.0.0.1")
    try:
        yield server
    finally:
        server.kill()


def test_help_reads_well() -> None:
    result = twnet_cli("--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert text.startswith("usage: python -m twnet")
    assert "echo" in text and "connect" in text
    for command in ("echo", "connect"):
        sub = twnet_cli(command, "--help")
        assert sub.returncode == 0
        assert sub.stdout.decode().startswith(f"usage: python -m twnet {command}")
    assert "--path" in twnet_cli("echo", "--help").stdout.decode()


def test_no_command_is_a_usage_error() -> None:
    result = twnet_cli()
    assert result.returncode == 2
    assert b"usage:" in result.stderr
    assert b"Traceback" not in result.stderr


def test_echo_then_connect(tcp_echo: EchoServer) -> None:
    assert tcp_echo.where == f"127.0.0.1:{tcp_echo.port}"
    result = twnet_cli("connect", "127.0.0.1", str(tcp_echo.port), stdin=b"abc\ndef\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\nabc\ndef\n"
    status, out, err = tcp_echo.stop()
    assert status == 0, err
    assert out.splitlines() == ["client connected", "client disconnected"]
    assert err == ""


def test_connect_moves_a_megabyte_both_ways(tcp_echo: EchoServer) -> None:
    data = os.urandom(1024 * 1024)
    result = twnet_cli("connect", "127.0.0.1", str(tcp_echo.port), stdin=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\n" + data


def test_sigint_with_a_client_connected_exits_cleanly(tcp_echo: EchoServer) -> None:
    with socket.create_connection(("127.0.0.1", tcp_echo.port), timeout=TIMEOUT) as client:
        assert client.recv(100) == b"hello\r\n"
        status, out, err = tcp_echo.stop()
    assert status == 0
    assert out.splitlines() == ["client connected"]
    assert "Traceback" not in err


def test_unix_socket_echo() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "echo.sock")
        server = EchoServer("--path", path)
        try:
            assert server.where == path
            result = twnet_cli("connect", "--path", path, stdin=b"over unix\n")
            assert result.returncode == 0, result.stderr
            assert result.stdout == b"hello\r\nover unix\n"
            status, _, err = server.stop()
            assert status == 0, err
        finally:
            server.kill()


def _one_line_error(result: subprocess.CompletedProcess[bytes], *needles: str) -> str:
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err
    return err


def test_port_in_use_is_one_line() -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = twnet_cli("echo", "--port", str(port), "--host", "127.0.0.1")
    err = _one_line_error(result, "EADDRINUSE", f"127.0.0.1:{port}")
    assert err.startswith("python -m twnet echo: error: listen EADDRINUSE")


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = twnet_cli("connect", "127.0.0.1", str(port))
    err = _one_line_error(result, "ECONNREFUSED")
    assert err.strip() == f"python -m twnet connect: error: connect ECONNREFUSED 127.0.0.1:{port}"


def test_missing_unix_socket_is_one_line() -> None:
    result = twnet_cli("connect", "--path", "/nonexistent/twnet.sock")
    _one_line_error(result, "ENOENT")


@pytest.mark.parametrize(
    "args",
    [
        ("connect", "127.0.0.1", "70000"),
        ("connect", "127.0.0.1", "http"),
        ("echo", "--port", "-1"),
    ],
)
def test_bad_port_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = twnet_cli(*args)
    assert result.returncode == 2
    assert b"invalid port" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("connect", "127.0.0.1"), "connect needs HOST and PORT (or --path P)"),
        (("connect", "h", "1", "--path", "/x"), "give either HOST PORT or --path P, not both"),
        (("echo", "--path", "/x", "--port", "1"), "--path cannot be combined with --port"),
    ],
)
def test_conflicting_arguments(args: tuple[str, ...], message: str) -> None:
    _one_line_error(twnet_cli(*args), message)


def test_connect_ends_when_the_server_closes_first() -> None:
    """stdin still open: the server's end ends the program (the socket closes, allowHalfOpen
    being false), and everything it sent reached stdout."""
    server = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "examples" / "server_address.py")],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    read_end, write_end = os.pipe()
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        port = line.rsplit("'port': ", 1)[1].rstrip("}\n")
        client = subprocess.run(
            [sys.executable, "-m", "twnet", "connect", "127.0.0.1", port],
            stdin=read_end,
            capture_output=True,
            timeout=TIMEOUT,
            env=_env(),
        )
        assert client.returncode == 0, client.stderr
        assert client.stdout == b"goodbye\n"
    finally:
        os.close(read_end)
        os.close(write_end)
        server.terminate()
        server.wait(timeout=TIMEOUT)
