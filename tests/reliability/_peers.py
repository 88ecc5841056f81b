"""Hostile peers for the reliability suite: raw, non-blocking Python sockets driven from the
reactor (no threads, no sleeps), and a recorder of what a twnet socket emits.

A :class:`RawPeer` registers its descriptor with the reactor only while a test waits on it
(:meth:`RawPeer.readable` / :meth:`RawPeer.writable`), so the reactor blocks in its poller
instead of spinning, and every wait is bounded by :data:`WAIT` seconds.
"""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Callable
from typing import Any

from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.interfaces import IReadDescriptor, IWriteDescriptor
from twisted.python.failure import Failure
from zope.interface import implementer

import twnet as net
from twnet import _runtime

__all__ = [
    "WAIT",
    "Events",
    "RawPeer",
    "bounded",
    "listen",
    "open_fds",
    "raw_connect",
    "raw_listener",
]

R: Any = _reactor

#: Seconds any single wait of the suite may take before the test fails (a bound, never a
#: timing assertion: on a quiet machine every wait is over in milliseconds).
WAIT = 30.0


def bounded(d: defer.Deferred[Any], seconds: float = WAIT) -> defer.Deferred[Any]:
    """*d*, failing with ``TimeoutError`` if it has not fired after *seconds*."""
    return d.addTimeout(seconds, R)


@implementer(IReadDescriptor, IWriteDescriptor)
class RawPeer:
    """A non-blocking Python socket whose readiness the reactor reports."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock = sock
        self._fd = sock.fileno()
        self._on_read: list[defer.Deferred[None]] = []
        self._on_write: list[defer.Deferred[None]] = []

    # -- IReadDescriptor / IWriteDescriptor ----------------------------------------------

    def fileno(self) -> int:
        return self._fd

    def logPrefix(self) -> str:
        return "RawPeer"

    def doRead(self) -> None:
        R.removeReader(self)
        waiters, self._on_read = self._on_read, []
        for d in waiters:
            d.callback(None)

    def doWrite(self) -> None:
        R.removeWriter(self)
        waiters, self._on_write = self._on_write, []
        for d in waiters:
            d.callback(None)

    def connectionLost(self, reason: Failure) -> None:
        pass

    # -- waiting ---------------------------------------------------------------------------

    async def readable(self) -> None:
        d: defer.Deferred[None] = defer.Deferred()
        self._on_read.append(d)
        R.addReader(self)
        try:
            await bounded(d)
        finally:
            if d in self._on_read:
                self._on_read.remove(d)
            if not self._on_read:
                R.removeReader(self)

    async def writable(self) -> None:
        d: defer.Deferred[None] = defer.Deferred()
        self._on_write.append(d)
        R.addWriter(self)
        try:
            await bounded(d)
        finally:
            if d in self._on_write:
                self._on_write.remove(d)
            if not self._on_write:
                R.removeWriter(self)

    # -- I/O -------------------------------------------------------------------------------

    async def accept(self) -> RawPeer:
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                await self.readable()
            else:
                return RawPeer(conn)

    async def connected(self) -> None:
        """Wait for a non-blocking connect to complete; raise its error."""
        await self.writable()
        err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            raise OSError(err, os.strerror(err))

    async def recv(self, size: int = 1 << 16) -> bytes:
        """Some bytes (b'' at EOF); raises ConnectionResetError on a reset."""
        while True:
            try:
                return self.sock.recv(size)
            except BlockingIOError:
                await self.readable()

    async def recv_exactly(self, size: int) -> bytes:
        parts: list[bytes] = []
        while size:
            chunk = await self.recv(min(size, 1 << 16))
            if not chunk:
                raise EOFError(f"EOF with {size} bytes still expected")
            parts.append(chunk)
            size -= len(chunk)
        return b"".join(parts)

    async def recv_to_eof(self) -> bytes:
        parts: list[bytes] = []
        while chunk := await self.recv():
            parts.append(chunk)
        return b"".join(parts)

    async def send_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                view = view[self.sock.send(view) :]
            except BlockingIOError:
                await self.writable()

    def rst(self) -> None:
        """Close with a TCP RST (``SO_LINGER`` 0) instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        if self.sock.fileno() != -1:
            R.removeReader(self)
            R.removeWriter(self)
            self.sock.close()

    def __enter__(self) -> RawPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def raw_listener(path: str | None = None, backlog: int = 128) -> RawPeer:
    """A raw listening socket on 127.0.0.1 (or on the UNIX *path*)."""
    if path is None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path)
    sock.listen(backlog)
    return RawPeer(sock)


def raw_connect(address: tuple[str, int] | str) -> RawPeer:
    """A raw client socket whose non-blocking connect to *address* is under way."""
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    sock = socket.socket(family)
    sock.setblocking(False)
    sock.connect_ex(address)
    return RawPeer(sock)


async def listen(server: net.Server, *args: Any) -> Any:
    """``server.listen(*args)`` (default: an ephemeral port on 127.0.0.1); its address."""
    d: defer.Deferred[None] = defer.Deferred()
    server.once("listening", lambda: d.callback(None))
    server.listen(*(args or (0, "127.0.0.1")))
    await bounded(d)
    return server.address()


class Events:
    """What one twnet socket emits, and the callbacks of its writes, in order.

    :meth:`write` counts how many times each write's callback runs, so a test can check that
    each runs exactly once; :attr:`closed` fires with ``had_error`` at ``'close'``.
    """

    def __init__(self, sock: net.Socket, *names: str) -> None:
        self.sock = sock
        self.log: list[tuple[Any, ...]] = []
        self.errors: list[BaseException] = []
        self.closes: list[bool] = []
        self.write_results: list[list[Any]] = []
        self.closed: defer.Deferred[bool] = defer.Deferred()
        sock.on("error", self._on_error)
        sock.on("close", self._on_close)
        for name in names:
            sock.on(name, lambda *args, _n=name: self.log.append((_n, *args)))

    def _on_error(self, error: BaseException) -> None:
        self.log.append(("error", error))
        self.errors.append(error)

    def _on_close(self, had_error: bool) -> None:
        self.log.append(("close", had_error))
        self.closes.append(had_error)
        if len(self.closes) == 1:
            # After the rest of this turn: the other 'close' listeners (a write made while
            # connecting fails from one) and the ticks they queue.
            R.callLater(0, self.closed.callback, had_error)

    def write(self, data: bytes | str) -> bool:
        results: list[Any] = []
        self.write_results.append(results)
        return self.sock.write(data, results.append)

    def end(self, data: bytes | str | None = None) -> None:
        results: list[Any] = []
        self.write_results.append(results)
        self.sock.end(data, None, lambda *err: results.append(err[0] if err else None))

    async def wait_closed(self) -> bool:
        had_error: bool = await bounded(self.closed)
        # Callbacks Node runs in the ticks after 'close' (write callbacks of a torn-down
        # connection) have run once these are drained.
        _runtime.drain_ticks()
        return had_error

    def assert_outcome(
        self,
        code: str | None,
        cls: type[BaseException] = OSError,
        syscall: str | None = None,
        write_error: Callable[[Any], bool] | None = None,
    ) -> None:
        """Exactly one ``'error'`` with *code* (or none when *code* is None), exactly one
        ``'close'`` with ``had_error`` accordingly, every write callback called exactly once
        (with an error that passes *write_error*, when given, else with anything)."""
        if code is None:
            assert self.errors == [], self.errors
        else:
            assert len(self.errors) == 1, self.errors
            (error,) = self.errors
            assert isinstance(error, cls), (type(error), error)
            assert getattr(error, "code", None) == code, error
            if syscall is not None:
                assert getattr(error, "syscall", None) == syscall, error
        assert self.closes == [code is not None], self.log
        for i, results in enumerate(self.write_results):
            assert len(results) == 1, f"write #{i} callback called {len(results)} times"
            if write_error is not None:
                assert write_error(results[0]), f"write #{i} callback got {results[0]!r}"


def open_fds() -> int:
    """How many descriptors this process has open (Linux: ``/proc/self/fd``)."""
    return len(os.listdir("/proc/self/fd"))
