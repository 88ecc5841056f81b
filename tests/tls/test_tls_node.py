"""twnet.tls against Node 24's tls, with certificates made for the session
(:mod:`tests.tls.certs`).

- ``scenarios/verify.{js,py}``: every verification outcome (ok, self-signed, unknown CA, no
  CA, a root in the chain, wrong name, expired, rejectUnauthorized false, client certificate
  required / missing / unknown / optional, ALPN, TLS 1.2, a version mismatch), both sides in
  Node and both sides in twnet: the event and error lines must be identical.
- ``scenarios/interop_{server,client}.{js,py}``: a twnet client against a Node server and a
  Node client against a twnet server, 8 MiB each way at once with back-pressure, checked by
  sha256, each side half-closing (close_notify, then FIN) when it has sent everything.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._node import REPO_ROOT, find_node
from tests.tls.certs import make_certs

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
SIZE = 8 * 1024 * 1024
TIMEOUT = 60


@pytest.fixture(scope="module")
def node() -> str:
    found = find_node((24, 0, 0))
    if found is None:
        pytest.skip("Node 24 not found (tests/_node.py find_node)")
    return found


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    certs = tmp_path_factory.mktemp("certs")
    make_certs(certs)
    return {
        **os.environ,
        "TWNET_CERTS": str(certs),
        "TWNET_TLS_SIZE": str(SIZE),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{proc.args} timed out; output so far:\n{out}\n{err}")
    assert proc.returncode == 0, f"{proc.args} exited {proc.returncode}:\n{out}\n{err}"
    return out


def test_verification_outcomes_match_node(node: str, env: dict[str, str]) -> None:
    js = _start([node, str(SCENARIOS / "verify.js")], env)
    py = _start([sys.executable, str(SCENARIOS / "verify.py")], env)
    expected, got = _finish(js), _finish(py)
    assert expected.count("== ") == 18
    diff = "\n".join(
        difflib.unified_diff(expected.splitlines(), got.splitlines(), "node", "twnet", lineterm="")
    )
    assert got == expected, diff


def _digest(seed: int) -> str:
    # byte i = (i * seed + (i >> 13)) & 0xFF: block k of 8 KiB is block 0 shifted by k.
    base = bytes((i * seed) & 0xFF for i in range(8192))
    digest = hashlib.sha256()
    for k in range(SIZE // 8192):
        digest.update(base.translate(bytes((j + k) & 0xFF for j in range(256))))
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("server_kind", "client_kind"),
    [("node", "twnet"), ("twnet", "node")],
    ids=["twnet-client", "twnet-server"],
)
def test_eight_mib_each_way(
    node: str, env: dict[str, str], server_kind: str, client_kind: str
) -> None:
    def argv(kind: str, half: str) -> list[str]:
        if kind == "node":
            return [node, str(SCENARIOS / f"interop_{half}.js")]
        return [sys.executable, str(SCENARIOS / f"interop_{half}.py")]

    server = _start(argv(server_kind, "server"), env)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("port "), first + (server.stderr.read() if server.stderr else "")
        client = _start([*argv(client_kind, "client"), first.split()[1]], env)
        client_out = _finish(client)
    finally:
        server_out = _finish(server)
    assert client_out.splitlines() == [f"client received {SIZE} {_digest(7)}", "client close false"]
    assert server_out.splitlines() == [
        f"server received {SIZE} {_digest(13)}",
        "server close false",
    ]
