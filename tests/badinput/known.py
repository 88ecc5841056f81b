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

__all__ = ["KNOWN", "PENDING", "Known", "find_known"]


@dataclass(frozen=True)
class Known:
    call: str
    example: tuple[tuple[Any, ...], dict[str, Any]]
    matches: Callable[[tuple[Any, ...], dict[str, Any]], bool]
    reason: str
    deliberate: bool = False


KNOWN: list[Known] = []

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
