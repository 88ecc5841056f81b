"""The seam between a Node-style socket and what carries its bytes: Node's stream handle.

Node's ``net.Socket`` is a facade over a libuv handle (``TCP``, ``Pipe``): the socket asks it to
read, write, shut down and close; the handle reports back (data, EOF, a write done, the close).
twnet has the same seam, as a pair of :class:`typing.Protocol` s:

- :class:`Handle` is what the socket calls. A Twisted TCP/UNIX transport is wrapped in one
  (``twnet._tcp_handle``); a TLS transport or any other ``ITransport`` goes through the same
  class by Twisted's public interface; ``twnet.testing.socketPair`` uses an in-memory one.
- :class:`HandleOwner` is what the handle calls: the socket.

Rules every handle keeps (the socket relies on them):

- Each report is made once, in order: ``on_connect`` first, then any of ``on_read``,
  ``on_eof``, ``on_shutdown``, ``on_writable``, and ``on_close`` last. Nothing is reported
  after ``on_close``.
- ``close()`` calls nothing of the owner's but ``on_close`` (maybe from inside the call, as its
  last step): the owner's close never re-enters itself.
- A write is taken at once (or refused with the error); when it filled the handle's buffer,
  :attr:`Handle.write_paused` is True and ``on_writable`` comes once the buffer drained. The
  owner keeps its write's completion until then (Node's ``WriteWrap``), and its shutdown's
  until ``on_shutdown`` (``ShutdownWrap``); on ``on_close`` it settles what it still holds.

This module is part of the Node core: it imports no Twisted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from twnet._address import AddressInfo
    from twnet._keepalive import KeepAlive

__all__ = ["ConnectionLoss", "Handle", "HandleOwner"]


class ConnectionLoss(Protocol):
    """Why a connection went away when it was not closed cleanly (a reset, a write to a gone
    peer...). Node names the error after the call that met it; which call that was (a read,
    a write) is the owner's to say, from its own state."""

    def error(self, syscall: str, default: str) -> BaseException:
        """The Node error (``code``, ``errno``, ``syscall``...) for *syscall*; *default* is
        the code when the cause carries none (``'ECONNRESET'``, ``'EPIPE'``)."""
        ...


class HandleOwner(Protocol):
    """What a :class:`Handle` reports to: the socket using it."""

    def on_connect(self, handle: Handle) -> None:
        """The handle is connected (a client's connect completed, a server accepted it, a
        descriptor was adopted) and reading; the owner may stop it at once."""
        ...

    def on_read(self, data: bytes) -> None:
        """Bytes arrived (only between ``read_start()`` and ``read_stop()``)."""
        ...

    def on_eof(self) -> None:
        """The peer will send no more (its FIN)."""
        ...

    def on_shutdown(self) -> None:
        """The shutdown :meth:`Handle.shutdown` started is done (the FIN is sent)."""
        ...

    def on_writable(self) -> None:
        """The handle's write buffer drained after :attr:`Handle.write_paused` was set."""
        ...

    def on_close(self, loss: ConnectionLoss | None) -> None:
        """The handle is closed: by ``close()``, or by the connection going away (*loss* is
        None for an orderly end, else why). The last report, made once."""
        ...


class Handle(Protocol):
    """A connected stream handle: what a socket reads from and writes to."""

    #: Whether the handle's write buffer is over its limit (``on_writable`` follows).
    write_paused: bool

    #: The reactor (``IReactorTime``) whose turns carry this handle's reports, or None for the
    #: one that runs twnet's ticks: the owner's ``'close'`` comes on its next turn after
    #: ``on_close``, as Node's comes from the handle's close callback on its loop's next turn.
    loop: Any

    def read_start(self) -> None:
        """Deliver data (``on_read``) as it arrives."""
        ...

    def read_stop(self) -> None:
        """Stop taking data from the kernel (the peer's writes are then held back by TCP)."""
        ...

    def write(self, data: bytes) -> BaseException | None:
        """Send *data*: to the kernel at once when it takes it, else into the handle's
        buffer. Returns the Node error when the kernel refused it (``ECONNRESET``,
        ``EPIPE``), else None."""
        ...

    def writev(self, chunks: Sequence[bytes]) -> None:
        """Send *chunks* in order, as one write."""
        ...

    def shutdown(self) -> bool:
        """Send a FIN once everything written is sent: True, and ``on_shutdown`` follows
        (or ``on_close``). A handle that cannot half-close closes instead once its buffer is
        sent (TLS: with its close_notify): False."""
        ...

    def close(self, unsent: Sequence[bytes] = ()) -> bool:
        """Close now, as Node's ``handle.close()``: what the kernel takes of the handle's
        buffer and then of *unsent* goes, the rest is dropped; then an orderly close (a
        FIN). ``on_close`` follows once (maybe as this call's last step). True when *unsent*
        was handed over (sent, or dropped as Node drops it), False when the handle could
        not reach its buffer and closed by its public interface."""
        ...

    def reset(self) -> None:
        """Close with a TCP RST (``SO_LINGER`` 0), dropping anything unsent."""
        ...

    def resettable(self) -> bool:
        """Whether :meth:`reset` sends an RST (a TCP handle; not a UNIX or TLS one)."""
        ...

    def busy(self) -> bool:
        """Whether a write or shutdown is under way, or bytes still wait to go to the kernel
        (libuv's pending requests: they keep a process alive)."""
        ...

    def set_no_delay(self, enable: bool) -> None:
        """``TCP_NODELAY`` (nothing for a handle that is not TCP)."""
        ...

    def set_keep_alive(self, keep_alive: KeepAlive) -> None:
        """``SO_KEEPALIVE`` and its timings (nothing for a handle that is not TCP)."""
        ...

    def getsockname(self) -> AddressInfo | None:
        """The local IP address (None for anything else: UNIX, in-memory)."""
        ...

    def getpeername(self) -> AddressInfo | None:
        """The peer's IP address (None for anything else)."""
        ...

    def os_socket(self) -> object | None:
        """The kernel socket under the handle (a :class:`socket.socket`), for options the
        handle has no method for (``IP_TOS``); None without one."""
        ...

    def fileno(self) -> int:
        """The descriptor (-1 without one)."""
        ...
