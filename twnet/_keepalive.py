"""TCP keep-alive as Node 24 sets it (``socket.setKeepAlive(enable, initialDelay, interval,
count)`` and its options-object form). No Twisted import: this works on a transport's
``setTcpKeepAlive`` and on the socket its ``getHandle()`` returns.

What Node 24 (libuv) does, seen with ``strace``: ``SO_KEEPALIVE`` always; then, when enabling,
``TCP_KEEPIDLE`` = ``initialDelay`` s, ``TCP_KEEPINTVL`` = ``interval`` s (default 1) and
``TCP_KEEPCNT`` = ``count`` (default 10; a count that is no integer also gives 10) -- only when
all three are positive, else none of them. Milliseconds become whole seconds as
``~~(ms / 1000)``. A value the kernel refuses (``TCP_KEEPIDLE`` over 32767 on Linux) is
ignored, as Node ignores what ``uv_tcp_keepalive`` returns.
"""

from __future__ import annotations

import math
import socket as _pysocket
from collections.abc import Mapping
from typing import Any

from twnet._naming import options as camel_options
from twnet._validators import is_integer, js_truthy, to_int32, to_number

__all__ = ["KeepAlive", "keep_alive_arguments", "seconds"]

DEFAULT_INTERVAL = 1
DEFAULT_COUNT = 10


def seconds(msecs: object) -> int:
    """``~~(msecs / 1000)``: whole seconds, 0 for anything that is no finite number."""
    number = to_number(msecs)
    return to_int32(number / 1000) if math.isfinite(number) else 0


class KeepAlive:
    """A socket's keep-alive settings: ``enable``, ``delay`` (s), ``interval`` (s, None for
    Node's ``undefined``) and ``count`` (the caller's value as given, None for
    ``undefined``)."""

    __slots__ = ("count", "delay", "enable", "interval")

    def __init__(
        self, enable: bool = False, delay: int = 0, interval: int | None = None, count: Any = None
    ) -> None:
        self.enable, self.delay, self.interval, self.count = enable, delay, interval, count

    def differs(self, other: KeepAlive) -> bool:
        """Node's test for calling into libuv again: another ``enable``, or, enabled, any
        other value (compared as JavaScript's ``!==`` compares them)."""
        if self.enable != other.enable:
            return True
        return self.enable and (
            self.delay != other.delay
            or self.interval != other.interval
            or not _same(self.count, other.count)
        )

    def apply(self, transport: Any) -> None:
        """Set the options on *transport* (a TCP one; others are left alone)."""
        setter = getattr(transport, "setTcpKeepAlive", None)
        if setter is None:
            return
        try:
            setter(self.enable)
            if not self.enable:
                return
            interval = DEFAULT_INTERVAL if self.interval is None else self.interval
            count = int(self.count) if is_integer(self.count) else DEFAULT_COUNT
            if self.delay <= 0 or interval <= 0 or count <= 0:
                return
            handle = transport.getHandle()
            for name, value in (
                ("TCP_KEEPIDLE", self.delay),
                ("TCP_KEEPINTVL", interval),
                ("TCP_KEEPCNT", count),
            ):
                option = getattr(_pysocket, name, None)
                if option is not None:
                    handle.setsockopt(_pysocket.IPPROTO_TCP, option, value)
        except (OSError, OverflowError):
            pass  # Node ignores what uv_tcp_keepalive returns (EINVAL for a long delay)


def _same(a: object, b: object) -> bool:
    """JavaScript's ``===`` for the values a count can be."""
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and math.isnan(a):
        return False
    return type(a) is type(b) and a == b


def keep_alive_arguments(
    enable: object, initial_delay: object, interval: object, count: object
) -> KeepAlive:
    """``setKeepAlive``'s arguments as Node reads them: an object first argument holds
    ``enable``, ``initialDelay``, ``interval`` and ``count``."""
    if isinstance(enable, (Mapping, list, tuple)):
        given = camel_options(enable) if isinstance(enable, Mapping) else {}
        enable = given.get("enable")
        initial_delay = given.get("initialDelay")
        interval = given.get("interval")
        count = given.get("count")
    return KeepAlive(
        js_truthy(enable),
        seconds(initial_delay),
        None if interval is None else seconds(interval),
        count,
    )
