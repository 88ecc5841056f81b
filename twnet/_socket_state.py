"""What a Socket tells about itself (addresses, counters, state), as a base class of
:class:`~twnet.Socket` (the fields are the Socket's slots)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twnet._address import AddressInfo
from twnet._socket_fields import SocketFields

if TYPE_CHECKING:
    pass

__all__ = ["SocketState"]


class SocketState(SocketFields):
    """Node's ``address()``, ``remoteAddress`` and its kin, ``bytesRead`` /
    ``bytesWritten``, ``bufferSize``, ``pending`` and ``readyState``."""

    __slots__ = ()

    def _has_handle(self) -> bool:
        """Node's ``this._handle``: a connection, until ``destroy()`` or its loss."""
        return self._handle is not None and not self.destroyed

    def _getpeername(self) -> AddressInfo | None:
        # As Node: what was read while connected stays readable after the close.
        if self._peername is None and self._has_handle():
            self._peername = self._handle.getpeername()  # type: ignore[union-attr]
        return self._peername

    def _getsockname(self) -> AddressInfo | None:
        # As Node: the local address is forgotten when the socket is destroyed.
        if self._sockname is None and self._has_handle():
            self._sockname = self._handle.getsockname()  # type: ignore[union-attr]
        return self._sockname

    def address(self) -> AddressInfo:
        """``{'port', 'family', 'address'}`` of the local end; ``{}`` when unknown (not
        connected, or a UNIX socket)."""
        name = self._getsockname()
        return AddressInfo(name) if name is not None else AddressInfo()

    @property
    def remoteAddress(self) -> str | None:
        """The peer's IP address, e.g. ``'::ffff:127.0.0.1'``; None when unknown."""
        peer = self._getpeername()
        return peer.get("address") if peer else None

    @property
    def remotePort(self) -> int | None:
        """The peer's port; None when unknown."""
        peer = self._getpeername()
        return peer.get("port") if peer else None

    @property
    def remoteFamily(self) -> str | None:
        """``'IPv4'`` or ``'IPv6'``; None when unknown."""
        peer = self._getpeername()
        return peer.get("family") if peer else None

    @property
    def localAddress(self) -> str | None:
        """The local IP address the socket is bound to; None when unknown."""
        name = self._getsockname()
        return name.get("address") if name else None

    @property
    def localPort(self) -> int | None:
        """The local port; None when unknown."""
        name = self._getsockname()
        return name.get("port") if name else None

    @property
    def localFamily(self) -> str | None:
        """``'IPv4'`` or ``'IPv6'`` of the local end; None when unknown."""
        name = self._getsockname()
        return name.get("family") if name else None

    # -- counters and state -----------------------------------------------------------

    @property
    def bytesRead(self) -> int:
        """Bytes received so far."""
        return self._bytes_read

    @property
    def bytesWritten(self) -> int:
        """Bytes sent so far, counting those still queued (as Node counts them)."""
        total = self._bytes_dispatched
        for chunk, _, _, _ in self._writableState.buffered:
            total += len(chunk)
        if self._pending is not None:
            total += sum(map(len, self._pending[0]))
        return total

    @property
    def bufferSize(self) -> int | None:
        """What is queued for writing and not yet handed to the kernel side: Node's
        ``writableLength`` (a queued ``str`` counts its JavaScript length, not its bytes);
        None before the socket connects and once it is destroyed."""
        if not (self.connecting or self._has_handle()):
            return None
        return self.writableLength

    @property
    def pending(self) -> bool:
        """True while there is no connection yet (not connected, or connecting)."""
        return self._handle is None or self.connecting

    @property
    def readyState(self) -> str:
        """``'opening'``, ``'open'``, ``'readOnly'``, ``'writeOnly'`` or ``'closed'``."""
        if self.connecting:
            return "opening"
        readable, writable = self.readable, self.writable
        if readable and writable:
            return "open"
        if readable:
            return "readOnly"
        if writable:
            return "writeOnly"
        return "closed"

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        buffer_size = bufferSize
        bytes_read = bytesRead
        bytes_written = bytesWritten
        local_address = localAddress
        local_family = localFamily
        local_port = localPort
        ready_state = readyState
        remote_address = remoteAddress
        remote_family = remoteFamily
        remote_port = remotePort
