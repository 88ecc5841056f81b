"""Helpers for tests that drive real twnet sockets."""

from __future__ import annotations

from typing import Any

from twisted.internet import defer
from twisted.internet import reactor as _reactor

import twnet as net
from twnet import _runtime

__all__ = ["fill", "next_turn"]

R: Any = _reactor


async def next_turn() -> None:
    """Let the reactor turn once, then run the ticks that turn queued."""
    d: defer.Deferred[None] = defer.Deferred()
    R.callLater(0, d.callback, None)
    await d
    _runtime.drain_ticks()


async def fill(writer: net.Socket, chunk: bytes = b"z" * 65536, limit: int = 64 << 20) -> int:
    """Write until the writer stays backed up across reactor turns; return bytes written."""
    sent = 0
    while sent < limit:
        while writer.write(chunk):
            sent += len(chunk)
        sent += len(chunk)
        before = writer.bufferSize
        for _ in range(3):
            await next_turn()
        if writer.writableNeedDrain and writer.bufferSize == before:
            return sent
    raise AssertionError(f"{sent} bytes written and the writer never backed up")
