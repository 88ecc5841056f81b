"""Shared printing for the Python half of a parity scenario (see tests/test_parity.py).

Lines are recorded per tag and printed at exit, tags in alphabetical order, so events of
different sockets (whose relative order the network decides) never race each other.
"""

from __future__ import annotations

import atexit
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from twisted.internet import reactor

TMP = sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir()
_lines: dict[str, list[str]] = {}
_subs: list[tuple[str, str]] = []


def mask(value: object, name: str) -> None:
    _subs.append((str(value), name))


def _masked(text: str) -> str:
    for value, name in _subs:
        text = text.replace(value, name)
    return text


def fmt(v: object) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (bytes, bytearray, memoryview)):
        return _masked(bytes(v).decode("utf-8", "replace"))
    if isinstance(v, BaseException):
        code = getattr(v, "code", None)
        msg = getattr(v, "message", None)
        if not isinstance(msg, str):
            msg = str(v)
        if isinstance(code, str) and code.startswith("ERR_"):
            i = msg.find(" Received")
            if i >= 0:
                msg = msg[:i]
        return _masked(f"error {fmt(code)} {msg}")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return _masked(str(v))


def log(tag: str, *parts: object) -> None:
    _lines.setdefault(tag, []).append(" ".join(fmt(p) for p in (tag, *parts)))


def set_timeout(ms: float, fn: Callable[..., Any], *args: Any) -> Any:
    """Node's setTimeout, on the reactor (a pending call keeps twnet.run alive)."""
    return reactor.callLater(ms / 1000, fn, *args)  # type: ignore[attr-defined]


@atexit.register
def _dump() -> None:
    for tag in sorted(_lines):
        for line in _lines[tag]:
            sys.stdout.write(line + "\n")
    sys.stdout.flush()
