"""``python -m twnet echo --tls CERT KEY`` and ``connect --tls`` (with ``--ca``,
``--servername``, ``--insecure``): an echo over TLS, a verification failure as one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import EchoServer, _one_line_error, twnet_cli
from tests.tls.certs import make_certs


@pytest.fixture(scope="module")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli-certs")
    make_certs(directory)
    return directory


@pytest.fixture
def tls_echo(cert_dir: Path) -> Iterator[EchoServer]:
    server = EchoServer(
        "--port", "0", "--host", "127.0.0.1",
        "--tls", str(cert_dir / "server.pem"), str(cert_dir / "server.key"),
    )  # fmt: skip
    try:
        yield server
    finally:
        server.kill()


def test_echo_over_tls(tls_echo: EchoServer, cert_dir: Path) -> None:
    port = str(tls_echo.port)
    ca = str(cert_dir / "ca.pem")
    result = twnet_cli(
        "connect", "127.0.0.1", port, "--tls", "--ca", ca, "--servername", "localhost",
        stdin=b"over TLS\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\nover TLS\n"
    # Not trusted: one line with Node's message, exit status 1.
    untrusted = twnet_cli("connect", "127.0.0.1", port, "--tls", stdin=b"x")
    _one_line_error(untrusted, "unable to verify the first certificate")
    # --insecure goes on anyway.
    insecure = twnet_cli("connect", "127.0.0.1", port, "--tls", "--insecure", stdin=b"y")
    assert insecure.returncode == 0, insecure.stderr
    assert insecure.stdout == b"hello\r\ny"
    status, out, err = tls_echo.stop()
    assert status == 0, err
    assert out.count("client connected") == 2  # the refused client never got 'secureConnection'
    assert "Traceback" not in err


def test_tls_arguments_checked(cert_dir: Path) -> None:
    _one_line_error(twnet_cli("connect", "127.0.0.1", "1", "--ca", "x"), "go with --tls")
    missing = twnet_cli("echo", "--port", "0", "--tls", "/nonexistent.pem", "/nonexistent.key")
    _one_line_error(missing, "cannot read /nonexistent.pem")
    wrong_key = twnet_cli(
        "echo", "--port", "0",
        "--tls", str(cert_dir / "server.pem"), str(cert_dir / "client.key"),
    )  # fmt: skip
    _one_line_error(wrong_key, "echo: error:")
