"""The programs in ``examples/`` (the Node ``net`` documentation's examples in twnet), each
run as a subprocess: servers are started, talked to with a plain socket client and stopped
with SIGTERM (by the PID this test started)."""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests import _process

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
TIMEOUT = 20


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [_process.twnet_path(), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Example:
    """A running example; its stdout is read line by line."""

    def __init__(self, name: str, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(EXAMPLES / name), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )

    def line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=TIMEOUT)
            assert self.proc.stderr is not None
            raise AssertionError(
                f"example ended ({self.proc.returncode}): {self.proc.stderr.read()}"
            )
        return line.rstrip("\n")

    def stop(self) -> tuple[int, str, str]:
        return _process.stop(self.proc, signal.SIGTERM, TIMEOUT)

    def kill(self) -> None:
        _process.kill(self.proc)


@contextmanager
def example(name: str, *args: str) -> Iterator[Example]:
    running = Example(name, *args)
    try:
        yield running
    finally:
        running.kill()


def talk(address: tuple[str, int] | str, send: bytes, expect: bytes) -> bytes:
    """Connect, read the greeting, send, read until *expect* has arrived, close."""
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    with socket.socket(family) as s:
        s.settimeout(TIMEOUT)
        s.connect(address)
        got = b""
        sent = False
        while len(got) < len(expect):
            if not sent and got.startswith(b"hello\r\n"):
                s.sendall(send)
                sent = True
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        return got


def test_every_example_is_tested() -> None:
    tested = {"echo_server", "client", "server_address", "eaddrinuse_retry"}
    tested |= {"exclusive_listen", "unix_echo_server"}
    tested |= {"tls_echo", "twisted_react", "twisted_endpoints"}  # docs/tls.rst, twisted.rst
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested
    for path in EXAMPLES.glob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.name} has no docstring"


def test_echo_server_and_client() -> None:
    port = free_port()
    with example("echo_server.py", str(port)) as server:
        assert server.line() == "server bound"
        assert talk(("127.0.0.1", port), b"ping", b"hello\r\nping") == b"hello\r\nping"
        assert server.line() == "client connected"
        assert server.line() == "client disconnected"
        client = subprocess.run(
            [sys.executable, str(EXAMPLES / "client.py"), str(port)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=_env(),
        )
        assert client.returncode == 0, client.stderr
        # The spec's client prints the first chunk and ends: 'hello\r\n' (maybe with the echo).
        lines = client.stdout.splitlines()
        assert lines[0] == "connected to server!"
        assert lines[1] == "hello"
        assert lines[-1] == "disconnected from server"
        assert server.line() == "client connected"
        assert server.line() == "client disconnected"
        status, _, err = server.stop()
    assert status == 0, err


def test_server_address() -> None:
    with example("server_address.py") as server:
        line = server.line()
        assert line.startswith("opened server on {")
        port = int(line.rsplit("'port': ", 1)[1].rstrip("}"))
        assert "'family': 'IPv" in line
        assert talk(("127.0.0.1", port), b"", b"goodbye\n") == b"goodbye\n"
        status, _, err = server.stop()
    assert status == 0, err


def test_eaddrinuse_retry() -> None:
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        with example("eaddrinuse_retry.py", str(port), "127.0.0.1", "100") as server:
            assert server.line() == "Address in use, retrying..."
            blocker.close()
            line = server.line()
            while line == "Address in use, retrying...":
                line = server.line()
            assert line == "server bound"
            assert talk(("127.0.0.1", port), b"", b"hello\r\n") == b"hello\r\n"
            status, _, err = server.stop()
        assert status == 0, err
    finally:
        blocker.close()


def test_exclusive_listen() -> None:
    port = free_port()
    with example("exclusive_listen.py", str(port)) as server:
        line = server.line()
        assert line.startswith("listening on {")
        assert talk(("127.0.0.1", port), b"", b"hello\r\n") == b"hello\r\n"
        status, _, err = server.stop()
    assert status == 0, err


def test_unix_echo_server() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "echo.sock")
        with example("unix_echo_server.py", path) as server:
            assert server.line() == "server bound"
            assert talk(path, b"over unix", b"hello\r\nover unix") == b"hello\r\nover unix"
            assert server.line() == "client connected"
            assert server.line() == "client disconnected"
            client = subprocess.run(
                [sys.executable, str(EXAMPLES / "client.py"), path],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=_env(),
            )
            assert client.returncode == 0, client.stderr
            assert client.stdout.splitlines()[0] == "connected to server!"
            status, _, err = server.stop()
        assert status == 0, err
        deadline = time.monotonic() + 5
        while os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not os.path.exists(path), "the socket file outlived the server"


def _output(name: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.splitlines()


def test_tls_echo() -> None:
    assert _output("tls_echo.py") == [
        "authorized: True protocol: TLSv1.3",
        "server certificate: localhost",
        "echo: hello over TLS",
    ]


def test_twisted_react() -> None:
    assert _output("twisted_react.py") == ["echoed: ping over twnet", "server closed"]


def test_twisted_endpoints() -> None:
    assert _output("twisted_endpoints.py") == [
        "transport: Client",
        "hello from a twnet server on a Twisted endpoint",
    ]
