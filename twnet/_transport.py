"""What twnet does to a Twisted TCP/UNIX transport beyond its public interface.

Node closes and half-closes a socket differently from Twisted's public ``loseConnection`` /
``loseWriteConnection``, which wait for the descriptor to become writable. These helpers work
on the fields of :class:`twisted.internet.abstract.FileDescriptor` (private, but present since
Twisted 12) and are used only where a transport is one; anything else (TLS...) gets the public
interface.
"""

from __future__ import annotations

import errno
from typing import Any

from twisted.internet import tcp, unix
from twisted.internet.protocol import connectionDone
from twisted.python.util import untilConcludes

from twnet import _runtime
from twnet._timers import PendingCall, call_pending

__all__ = ["close_now", "flush_and_drop", "shut_down_write_soon", "transport_busy", "write_now"]

# Stream connections twnet writes to and half-closes without waiting for writability: TCP, and
# UNIX while no file descriptor waits to be sent with the next bytes (its writeSomeData sends
# those with them).
_WRITE_THROUGH = (tcp.Server, tcp.Client, unix.Server, unix.Client)


def _open_and_empty(transport: Any) -> bool:
    """Whether *transport* is a TCP or UNIX connection, open for writing, with nothing in
    Twisted's buffers and no file descriptor waiting to go out with the next bytes: what it
    is handed next may go to the kernel (or its write side be shut) at once."""
    return (
        type(transport) in _WRITE_THROUGH
        and transport.connected
        and not transport.disconnecting
        and not transport._writeDisconnecting
        and not transport._tempDataLen
        and transport.offset == len(transport.dataBuffer)
        and not getattr(transport, "_sendmsgQueue", None)
    )


def write_now(transport: Any, data: bytes) -> OSError | None:
    """``transport.write(data)``, but for a TCP or UNIX transport with nothing buffered, hand
    *data* to the kernel at once as Node's ``write()`` does (``uv_try_write``): only what the
    kernel does not take waits in Twisted's buffer. So a write's completion (its callback,
    ``'drain'``) and the peer's view of the data come when Node's come, not a reactor turn
    later. Returns the error when the kernel refused the write (the connection is gone:
    ECONNRESET, EPIPE), else None. Anything else (TLS, other transports, a UNIX transport
    with file descriptors queued to send) takes ``transport.write``. It sends on the
    transport's own socket rather than through ``writeSomeData``, which turns every send
    error into ``CONNECTION_LOST`` and so loses the errno Node reports."""
    if _open_and_empty(transport):
        try:
            sent = untilConcludes(transport.socket.send, memoryview(data)[: transport.SEND_LIMIT])
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.ENOBUFS):
                return error
            sent = 0
        if sent == len(data):
            return None
        data = data[sent:]
    transport.write(data)
    return None


def flush_and_drop(transport: Any, queued: list[bytes]) -> bool | None:
    """Give the kernel what it takes now of the transport's write buffer and then of
    *queued*; empty the buffer. True when everything went, False when some was dropped,
    None when the transport has no buffer we can reach. Works on the fields of a Twisted
    ``twisted.internet.abstract.FileDescriptor`` transport (TCP, UNIX: private, but
    present since Twisted 12)."""
    if not isinstance(transport, tcp.Connection) or transport.TLS:
        # Only Twisted's own TCP and UNIX connections (whose writeSomeData is the socket's):
        # another descriptor (a pipe...) or TLS started on the connection, whose buffer
        # holds ciphertext, get the public interface.
        return None
    if not (queued or transport._tempDataBuffer or len(transport.dataBuffer) > transport.offset):
        return True
    # Node's write() hands data to the kernel at once when it has room (uv_try_write):
    # `write(data); destroy()` sends data.
    unsent = memoryview(
        b"".join(
            [bytes(transport.dataBuffer[transport.offset :]), *transport._tempDataBuffer, *queued]
        )
    )
    while unsent:
        sent = transport.writeSomeData(unsent)  # type: ignore[arg-type]  # TCP, UNIX: any buffer
        if not isinstance(sent, int) or sent <= 0:
            break
        unsent = unsent[sent:]
    transport.dataBuffer = b""
    transport.offset = 0
    transport._tempDataBuffer = []
    transport._tempDataLen = 0
    return not unsent


def close_now(transport: Any) -> None:
    """Close a ``FileDescriptor`` transport whose buffer is empty, without waiting for it to
    become writable: an orderly close (``shutdown`` then ``close``: the kernel's data, then a
    FIN) reported as a clean one. Synchronous, as Twisted's own ``loseConnection`` is once the
    write side is shut, so that nothing is left pending on the reactor."""
    transport.stopReading()
    transport.stopWriting()
    # Called from destroy(), maybe from user code: what the loss queues ('close') must
    # wait for a later tick, never run inside destroy().
    with _runtime.user_call():
        transport.connectionLost(connectionDone)


def shut_down_write_soon(transport: Any) -> PendingCall | None:
    """``loseWriteConnection()`` for a TCP or UNIX transport with nothing left to write, without
    waiting for writability: the shutdown (the FIN) and ``writeConnectionLost`` come as a
    pending completion (:func:`~twnet._timers.call_pending`: the next turn of the reactor,
    before the immediates set so far), as libuv's ``uv_shutdown`` of a stream with an empty
    write queue completes in its pending phase, after this poll phase and before the check
    phase.
    Twisted would register the descriptor for writing and do the same from ``doWrite``: an
    ``epoll`` change, an event and its dispatch, per connection. Returns the pending call
    (cancel it if the connection goes first), or None when the transport is not such a one:
    then call ``loseWriteConnection()``."""
    if not _open_and_empty(transport):
        return None
    # The flags doWrite sets on its way to _closeWriteConnection: from now on Twisted takes
    # no more writes, and loseConnection() closes at once.
    transport._writeDisconnecting = True
    transport._writeDisconnected = True
    return call_pending(transport.reactor, _close_write_side, transport)


def _close_write_side(transport: Any) -> None:
    if transport.connected:
        transport._closeWriteConnection()


def transport_busy(transport: Any) -> bool:
    """Whether *transport* still has bytes to hand to the kernel or is closing (libuv's write
    requests and closing handle, which hold a Node process). Looks through wrappers such as
    Twisted's TLS layer (its ``transport`` attribute) to the transport under them."""
    for _ in range(4):  # a wrapper over a wrapper over TCP at most
        if transport is None:
            return False
        if (
            getattr(transport, "disconnecting", False)
            or getattr(transport, "_tempDataLen", 0)
            or getattr(transport, "_appSendBuffer", None)
            or len(getattr(transport, "dataBuffer", b"")) > getattr(transport, "offset", 0)
        ):
            return True
        transport = getattr(transport, "transport", None)
    return False
