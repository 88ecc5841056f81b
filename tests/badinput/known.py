"""Differences between twnet and Node 24 that the battery knows about.

Each entry names the call, a predicate on the arguments that picks the values concerned, an
example, and the reason. ``deliberate=True``: a difference twnet keeps on purpose, documented
in docs/errors.rst ("Deliberate differences"); the battery checks that it still holds exactly
as documented. ``deliberate=False``: a bug still being fixed; its example runs as
``xfail(strict=True)``, so the entry must be removed as soon as the fix lands.

An entry is never a silent skip: every value it matches is still run on both sides and
counted among the differences in docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.badinput.values import Fresh
from twnet._validators import js_truthy

__all__ = ["KNOWN", "PENDING", "Known", "find_known"]


@dataclass(frozen=True)
class Known:
    call: str
    example: tuple[tuple[Any, ...], dict[str, Any]]
    matches: Callable[[tuple[Any, ...], dict[str, Any]], bool]
    reason: str
    deliberate: bool = False


_MISSING = object()
_STREAM_KINDS = {"readable", "writable", "socket"}


def _js_object(value: Any) -> bool:
    """``typeof value === 'object'`` (None present is ``null``)."""
    return value is not _MISSING and not (
        isinstance(value, bool | int | float | str) or callable(value)
    )


def _is_pair(value: Any) -> bool:
    return isinstance(value, dict) and any(
        _js_object(value.get(key, _MISSING)) for key in ("readable", "writable")
    )


def _side_refused(value: Any) -> bool:
    """Whether ``Duplex.from`` refuses this side of a pair (Node: nested duplexify throws)."""
    if value is _MISSING or value is None or callable(value):
        return False
    if isinstance(value, Fresh):
        return value.kind not in _STREAM_KINDS
    if isinstance(value, dict):
        return not _is_pair(value) or _refused_pair(value)
    if isinstance(value, str | bytes | bytearray | memoryview | list | tuple | frozenset | range):
        return False  # iterables
    return js_truthy(value)


def _refused_pair(body: dict[str, Any]) -> bool:
    return any(_side_refused(body.get(key, _MISSING)) for key in ("readable", "writable"))


def _pair_with_refused_side(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    return bool(args) and _is_pair(args[0]) and _refused_pair(args[0])


KNOWN: list[Known] = [
    Known(
        "stream.Duplex.from(body)",
        (({"readable": {}},), {}),
        _pair_with_refused_side,
        "a side of a {readable, writable} pair that Duplex.from cannot make a stream: Node 24 "
        "fails an internal assertion (ERR_INTERNAL_ASSERTION \"'name' must be a string\", "
        "its own bug); twnet raises ERR_INVALID_ARG_TYPE naming the side ('body.readable')",
        deliberate=True,
    ),
]

#: Calls on which twnet still differs from Node while the validation layer (issue 12 item 1)
#: is being built: their battery test runs as ``xfail(strict=True)``, so each entry must go
#: as soon as its call matches Node. Temporary: none may remain at the end of issue 12.
PENDING: dict[str, str] = {}


def find_known(call: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Known | None:
    """The entry that covers this call with these arguments, if any."""
    for entry in KNOWN:
        if entry.call == call and entry.matches(args, kwargs):
            return entry
    return None
