"""The Twisted side of a socket: the protocol adapter and the write producer.

Data flows one way: transport -> :class:`SocketProtocol` -> Socket -> user, and
user -> Socket -> transport. The protocol implements ``IHalfCloseableProtocol`` on the class
itself (endpoints forward the interface only when the wrapped protocol provides it), so a
peer's FIN arrives as :meth:`SocketProtocol.readConnectionLost` and ``allowHalfOpen`` works.

The protocol registers itself with the transport as the Socket's streaming producer: Twisted
pauses it when its buffer passes 64 KiB and resumes it when the buffer is empty, which is all
the write back-pressure a TCP transport reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twisted.internet.interfaces import (
    IHalfCloseableProtocol,
    ILoggingContext,
    IProtocol,
    IPushProducer,
    ITransport,
)
from twisted.internet.protocol import Factory, connectionDone
from twisted.python.failure import Failure
from zope.interface import implementer

from twnet._runtime import dispatch

if TYPE_CHECKING:
    from twnet._server import Server
    from twnet._socket import Socket

__all__ = ["ServerFactory", "SocketProtocol"]


@implementer(IProtocol, ILoggingContext, IHalfCloseableProtocol, IPushProducer)
class SocketProtocol:
    """Connects one Twisted transport to one :class:`~twnet.Socket`, and is the producer
    the transport pauses (:meth:`pauseProducing`) when its write buffer is full and resumes
    (:meth:`resumeProducing`) once it is empty.

    It provides ``IProtocol`` itself rather than subclassing Twisted's ``Protocol``, whose
    instances carry a ``__dict__``: with slots only, a connection costs ~50 bytes less."""

    __slots__ = ("connected", "socket", "transport")

    transport: ITransport | None

    def __init__(self, socket: Socket) -> None:
        self.socket = socket
        self.transport = None
        self.connected = 0

    def logPrefix(self) -> str:
        return type(self).__name__

    def makeConnection(self, transport: ITransport) -> None:
        self.connected = 1
        self.transport = transport
        self.connectionMade()

    def connectionMade(self) -> None:
        dispatch(self._connected)

    def _connected(self) -> None:
        self.transport.registerProducer(self, True)  # type: ignore[union-attr]
        self.socket._on_transport(self.transport)

    def dataReceived(self, data: bytes) -> None:
        dispatch(self.socket._on_data, data)

    def readConnectionLost(self) -> None:
        dispatch(self.socket._on_eof)

    def writeConnectionLost(self) -> None:
        dispatch(self.socket._on_write_closed)

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        dispatch(self.socket._on_transport_closed, reason)

    # -- the transport's producer ------------------------------------------------------------

    def pauseProducing(self) -> None:
        self.socket._write_paused = True

    def resumeProducing(self) -> None:
        dispatch(self.socket._on_write_resumed)

    def stopProducing(self) -> None:
        # The transport is going away; connectionLost reports it.
        pass


class ServerFactory(Factory):
    """Builds a :class:`SocketProtocol` with a fresh server-side Socket per connection,
    or refuses it (``None`` closes it at once) when ``maxConnections`` is reached."""

    noisy = False

    def __init__(self, server: Server) -> None:
        self.server = server

    # SocketProtocol provides IProtocol without Twisted's `factory` attribute (typed into
    # Factory.buildProtocol's result): nothing reads it for protocols built here.
    def buildProtocol(self, addr: Any) -> SocketProtocol | None:  # type: ignore[override]
        return dispatch(self.server._accept, addr)
