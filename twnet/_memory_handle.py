"""An in-memory :class:`~twnet._handle.Handle` pair: two connected ends with no network, whose
every report comes on a turn of a clock (a reactor's ``callLater(0)``, or a
:class:`twisted.internet.task.Clock`'s, advanced by the test).

It behaves as a loopback TCP connection does, as far as a socket can see: what one end writes
the other reads (each turn delivers everything written before it, at most ``_READ_SIZE`` bytes a
read), in order; a shutdown is a FIN that arrives after the data; an end whose both directions
are shut down closes; ``close()`` sends what was written, then a FIN, and closes at once;
``reset()`` drops everything and the peer is reset (``ECONNRESET``); bytes written to an end
that closed are lost, and the writer's next write fails with ``EPIPE`` (as Linux answers the
first with a reset and the next with EPIPE). A writer is paused (``write_paused``) while more than
``_HIGH_WATER`` bytes wait for a reader that does not read, and told (``on_writable``) once
they have all been read. There are no addresses, descriptor or socket options.

Every report goes through :func:`twnet._ticks.dispatch`, as a Twisted callback does: an
exception escaping the owner is reported as uncaught, and the ticks queued meanwhile run before
the next report. Part of the Node core: no Twisted (the clock is anything with ``callLater``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from twnet._errors import system_error
from twnet._ticks import dispatch

if TYPE_CHECKING:
    from twnet._address import AddressInfo
    from twnet._handle import HandleOwner
    from twnet._keepalive import KeepAlive

__all__ = ["MemoryHandle", "memory_pair"]

#: The most one read delivers (as a read of a TCP socket's receive buffer).
_READ_SIZE = 65536
#: Unread bytes above which the writer is paused (Twisted's transports pause at 64 KiB).
_HIGH_WATER = 65536


def memory_pair(
    loop: Any, first: HandleOwner, second: HandleOwner
) -> tuple[MemoryHandle, MemoryHandle]:
    """Two connected :class:`MemoryHandle` s reporting to *first* and *second*, their turns
    taken with ``loop.callLater(0, ...)`` (any ``IReactorTime``). Neither owner has been told
    yet: call ``owner.on_connect(handle)`` for each."""
    a, b = MemoryHandle(loop, first), MemoryHandle(loop, second)
    a.peer, b.peer = b, a
    return a, b


class _Reset:
    """The peer reset the connection (:class:`~twnet._handle.ConnectionLoss`)."""

    __slots__ = ()

    def error(self, syscall: str, default: str) -> BaseException:
        return system_error("ECONNRESET", syscall)


class MemoryHandle:
    """One end of an in-memory connection (see the module's description)."""

    def __init__(self, loop: Any, owner: HandleOwner) -> None:
        #: The reactor (``IReactorTime``) whose turns carry this handle's reports.
        self.loop = loop
        self.owner = owner
        self.peer: MemoryHandle | None = None
        self.write_paused = False
        self.reading = True  # as a connected TCP socket is, until read_stop()
        self.inbox: list[bytes] = []  # written by the peer, not yet read
        self.unread = 0
        self.fin_received = False  # the peer's FIN is in the inbox, after its data
        self.eof_reported = False
        self.write_shut = False
        self.peer_gone = False  # the peer answered a write with a reset
        self.closed = False
        self._turn: Any = None  # the pending delivery call

    # -- turns ------------------------------------------------------------------------------

    def _soon(self, fn: Callable[..., Any], *args: Any) -> None:
        self.loop.callLater(0, dispatch, fn, *args)

    def _schedule_delivery(self) -> None:
        if self._turn is None and not self.closed:
            self._turn = self.loop.callLater(0, dispatch, self._deliver)

    def _deliver(self) -> None:
        self._turn = None
        if self.closed:
            return
        if self.reading and self.inbox:
            data = b"".join(self.inbox)
            chunk, rest = data[:_READ_SIZE], data[_READ_SIZE:]
            self.inbox = [rest] if rest else []
            self.unread = len(rest)
            peer = self.peer
            if not self.unread and peer is not None and peer.write_paused:
                peer.write_paused = False
                peer._soon(peer._writable)
            if self.inbox or self.fin_received:
                self._schedule_delivery()
            self.owner.on_read(chunk)
            return
        if self.reading and self.fin_received and not self.eof_reported:
            self.eof_reported = True
            self.owner.on_eof()
            self._close_if_both_shut()

    def _writable(self) -> None:
        if not self.closed and not self.write_paused:
            self.owner.on_writable()

    def _close_if_both_shut(self) -> None:
        if self.eof_reported and self.write_shut and not self.closed:
            self._closed(None)

    def _closed(self, loss: Any) -> None:
        self.closed = True
        self.inbox = []
        self.unread = 0
        if self._turn is not None:
            if self._turn.active():
                self._turn.cancel()
            self._turn = None
        self.owner.on_close(loss)

    def _reset_by_peer(self) -> None:
        if not self.closed:
            self._closed(_Reset())

    # -- what the peer does to us -------------------------------------------------------------

    def _receive(self, data: bytes, writer: MemoryHandle) -> None:
        if self.closed:
            # Bytes to an end that is gone: its side answers with a reset, which the writer
            # learns from its next write.
            writer.peer_gone = True
            return
        self.inbox.append(data)
        self.unread += len(data)
        if self.unread > _HIGH_WATER:
            writer.write_paused = True
        self._schedule_delivery()

    def _receive_fin(self) -> None:
        if not self.closed:
            self.fin_received = True
            self._schedule_delivery()

    # -- the Handle ---------------------------------------------------------------------------

    def read_start(self) -> None:
        self.reading = True
        if self.inbox or (self.fin_received and not self.eof_reported):
            self._schedule_delivery()

    def read_stop(self) -> None:
        self.reading = False

    def write(self, data: bytes) -> BaseException | None:
        peer = self.peer
        if self.closed or self.write_shut or peer is None or self.peer_gone:
            return system_error("EPIPE", "write")
        if data:
            peer._receive(bytes(data), self)
        return None

    def writev(self, chunks: Sequence[bytes]) -> None:
        self.write(b"".join(chunks))

    def shutdown(self) -> bool:
        self.write_shut = True
        peer = self.peer
        if peer is not None:
            peer._receive_fin()
        self._soon(self._shut_down)
        return True

    def _shut_down(self) -> None:
        if not self.closed:
            self.owner.on_shutdown()
            self._close_if_both_shut()

    def close(self, unsent: Sequence[bytes] = ()) -> bool:
        peer = self.peer
        if peer is not None and not self.write_shut:
            for chunk in unsent:
                if chunk:
                    peer._receive(bytes(chunk), self)
            peer._receive_fin()
        self.write_shut = True
        self.write_paused = False
        self._closed(None)
        return True

    def reset(self) -> None:
        peer = self.peer
        if peer is not None:
            peer._soon(peer._reset_by_peer)
        self.write_paused = False
        self._closed(None)

    def resettable(self) -> bool:
        return True

    def busy(self) -> bool:
        peer = self.peer
        return self.write_paused or (peer is not None and peer.unread > 0)

    def set_no_delay(self, enable: bool) -> None:
        pass

    def set_keep_alive(self, keep_alive: KeepAlive) -> None:
        pass

    def getsockname(self) -> AddressInfo | None:
        return None

    def getpeername(self) -> AddressInfo | None:
        return None

    def os_socket(self) -> None:
        return None

    def fileno(self) -> int:
        return -1
