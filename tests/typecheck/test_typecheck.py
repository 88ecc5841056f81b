"""The type checkers on twnet's public API (tox's ``typing`` environment runs these).

* ``sample.py`` uses the whole public API in both spellings: ``mypy --strict`` and pyright
  (basedpyright, strict) find no error in it, and it runs, echoing over loopback.
* ``wrong.py`` is a list of wrong uses, each marked ``# E: <mypy code>``: mypy reports exactly
  those, pyright reports an error on each marked line and on no other. A public signature
  that decays to ``Any`` makes its wrong use pass unnoticed, and this fails.

The default pytest run does not collect this folder (``norecursedirs`` in pyproject.toml): it
needs mypy and basedpyright, which the ``typing`` extra installs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SAMPLE = HERE / "sample.py"
WRONG = HERE / "wrong.py"
_MARK = re.compile(r"#\s*E:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*$")
_MYPY_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy comes with the `typing` extra")
    # pyproject.toml's [tool.mypy]: --strict, the zope plugin; the file replaces `files`
    return _run(sys.executable, "-m", "mypy", "--show-error-codes", str(path.relative_to(ROOT)))


def _pyright(*paths: Path) -> list[dict[str, object]]:
    """basedpyright's errors (strict, pyproject.toml's [tool.basedpyright]) for *paths*."""
    pytest.importorskip("basedpyright", reason="basedpyright comes with the `typing` extra")
    result = _run(
        sys.executable,
        "-m",
        "basedpyright",
        "--outputjson",
        "--pythonpath",
        sys.executable,
        *(str(path.relative_to(ROOT)) for path in paths),
    )
    report = json.loads(result.stdout)
    diagnostics: list[dict[str, object]] = report["generalDiagnostics"]
    return [d for d in diagnostics if d["severity"] == "error"]


def _marked() -> dict[int, set[str]]:
    """``{line: mypy codes}`` marked in wrong.py."""
    marked: dict[int, set[str]] = {}
    for number, line in enumerate(WRONG.read_text().splitlines(), start=1):
        match = _MARK.search(line)
        if match:
            marked[number] = {code.strip() for code in match.group(1).split(",")}
    return marked


def test_wrong_py_marks_enough_lines() -> None:
    marked = _marked()
    assert len(marked) >= 25
    assert {"arg-type", "assignment", "attr-defined", "misc", "call-overload"} <= set().union(
        *marked.values()
    )


def test_mypy_strict_passes_on_the_sample() -> None:
    result = _mypy(SAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout


def test_mypy_rejects_each_wrong_use_with_its_code() -> None:
    result = _mypy(WRONG)
    assert result.returncode == 1, result.stdout + result.stderr
    found: dict[int, set[str]] = {}
    for line in result.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match:
            found.setdefault(int(match["line"]), set()).add(match["code"])
    assert found == _marked(), result.stdout


def test_pyright_strict_passes_on_the_sample() -> None:
    errors = _pyright(SAMPLE)
    assert errors == []


def test_pyright_rejects_each_wrong_use_and_nothing_else() -> None:
    errors = _pyright(WRONG)
    lines = {int(error["range"]["start"]["line"]) + 1 for error in errors}  # type: ignore[index]
    assert lines == set(_marked()), json.dumps(errors, indent=1)


def test_the_sample_runs() -> None:
    result = _run(sys.executable, str(SAMPLE.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for expected in (
        "aborted: abort",
        "hello world",
        "through piped",
        "refused ERR_SOCKET_BAD_PORT",
        "connections 0",
        "listening IPv4",
        "connected",
        "echoed b'echo hithere'",
        "once close []",
        "later later",
        "server closed None",
        "async echoed b'native'",
        "async closed False",
    ):
        assert expected in lines, result.stdout
    assert (
        lines.index("listening IPv4") < lines.index("connected") < lines.index("server closed None")
    )


def test_py_typed_ships_in_the_installed_package() -> None:
    """PEP 561: the marker is in the package, and in the wheel tox installed."""
    from importlib import metadata

    assert (ROOT / "twnet" / "py.typed").is_file()
    try:
        files = metadata.files("twnet")
    except metadata.PackageNotFoundError:
        pytest.skip("twnet is not installed here (tox's environments install the wheel)")
    assert files is not None
    assert "twnet/py.typed" in {str(file) for file in files}
