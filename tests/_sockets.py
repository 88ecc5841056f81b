"""Helpers for tests that drive real twnet sockets."""

from __future__ import annotations

from typing import Any

from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.task import Clock

import twnet as net
from twnet import _runtime

__all__ = ["ClockReactor", "fill", "next_turn"]

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


class ClockReactor:
    """Time from a Clock, everything else from the real reactor: pass it as ``reactor=`` to
    drive a socket's timers by hand over real connections."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def callLater(self, *args: Any, **kwargs: Any) -> Any:
        return self.clock.callLater(*args, **kwargs)

    def seconds(self) -> float:
        return self.clock.seconds()

    def getDelayedCalls(self) -> Any:
        return self.clock.getDelayedCalls()

    def __getattr__(self, name: str) -> Any:
        return getattr(R, name)
