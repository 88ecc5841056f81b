"""The fields of a :class:`~twnet.Socket`, declared once for the parts of the class that live
in other modules (its base classes, the ``onread`` option): the Socket holds them as slots and
sets them in its constructor. Part of the Node core: a stream with fields, no Twisted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twnet._streams import Duplex

if TYPE_CHECKING:
    from twnet._address import AddressInfo
    from twnet._handle import Handle
    from twnet._keepalive import KeepAlive

__all__ = ["SocketFields"]


class SocketFields(Duplex):
    """A Socket's fields (annotations only: no behaviour here)."""

    __slots__ = ()

    connecting: bool
    _reactor: Any  # an IReactorTime (and the rest of a reactor to connect)
    _handle: Handle | None  # Node's this._handle: the connection, None without one
    # Counters: bytes the handle delivered, bytes handed to it, a write waiting to connect.
    _bytes_read: int
    _bytes_dispatched: int
    _pending: tuple[list[bytes], object] | None
    _peername: AddressInfo | None
    _sockname: AddressInfo | None
    # The idle timeout (setTimeout): ms (0: none), as given, its timer, the last activity.
    _timeout_ms: float
    _timeout_set: float | None
    _timer: Any  # the idle timer (a twnet._clock.Timer), made at the first setTimeout; or None
    _last_active: float
    # Options set on the handle once there is one.
    _tos: int | None
    _no_delay: bool
    _keep_alive: KeepAlive

    if TYPE_CHECKING:
        #: Whether the handle reads (a property of the Socket: liveness follows it).
        _reading: bool

        def _touch(self) -> None: ...

        def on_read(self, data: bytes) -> None: ...
