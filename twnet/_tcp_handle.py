"""The Twisted side of a socket: :class:`TCPHandle`, a :class:`~twnet._handle.Handle` over a
Twisted transport.

The handle is the Twisted protocol of its connection: the transport calls it (data, the peer's
FIN, the loss of the connection) and it reports to its owner (the Socket) through the
:class:`~twnet._handle.HandleOwner` calls. It implements ``IHalfCloseableProtocol`` on the class
itself (endpoints forward the interface only when the wrapped protocol provides it), so a peer's
FIN arrives as :meth:`TCPHandle.readConnectionLost` and ``allowHalfOpen`` works.

It registers itself with the transport as the streaming producer: Twisted pauses it when its
buffer passes 64 KiB and resumes it when the buffer is empty, which is all the write
back-pressure a TCP transport reports (:attr:`TCPHandle.write_paused`, ``on_writable``).

A Twisted TCP or UNIX connection gets Node's ways of writing, half-closing and closing
(``twnet._transport``: a write straight to the kernel, a shutdown without waiting for
writability, a close that drops what the kernel does not take); any other transport (TLS, an
endpoint's own ``ITransport``) goes through Twisted's public interface, through the same class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from twisted.internet.address import IPv4Address, IPv6Address, UNIXAddress
from twisted.internet.error import ConnectionDone
from twisted.internet.interfaces import (
    IHalfCloseableProtocol,
    ILoggingContext,
    IProtocol,
    IPushProducer,
)
from twisted.internet.protocol import connectionDone
from twisted.python.failure import Failure
from zope.interface import implementer

from twnet._address import AddressInfo
from twnet._failures import translate
from twnet._runtime import dispatch
from twnet._timers import PendingCall
from twnet._transport import (
    close_now,
    flush_and_drop,
    shut_down_write_soon,
    transport_busy,
    write_now,
)

if TYPE_CHECKING:
    from twnet._handle import HandleOwner
    from twnet._keepalive import KeepAlive

__all__ = ["TCPHandle", "address_info", "adopt"]


@implementer(IProtocol, ILoggingContext, IHalfCloseableProtocol, IPushProducer)
class TCPHandle:
    """One Twisted connection as a :class:`~twnet._handle.Handle`, reporting to *owner*.

    It provides ``IProtocol`` itself rather than subclassing Twisted's ``Protocol``, whose
    instances carry a ``__dict__``: with slots only, a connection costs ~50 bytes less."""

    __slots__ = ("_shutdown_call", "connected", "owner", "transport", "write_paused")

    transport: Any

    def __init__(self, owner: HandleOwner) -> None:
        self.owner = owner
        self.transport = None
        self.connected = 0
        #: Twisted paused us as its producer (its write buffer passed its limit);
        #: ``on_writable`` follows once the buffer is empty.
        self.write_paused = False
        self._shutdown_call: PendingCall | None = None

    # -- IProtocol: what the transport tells us ---------------------------------------------

    def logPrefix(self) -> str:
        return type(self).__name__

    def makeConnection(self, transport: Any) -> None:
        self.connected = 1
        self.transport = transport
        self.connectionMade()

    def connectionMade(self) -> None:
        dispatch(self._connected)

    def _connected(self) -> None:
        self.transport.registerProducer(self, True)
        self.owner.on_connect(self)

    def dataReceived(self, data: bytes) -> None:
        dispatch(self.owner.on_read, data)

    def readConnectionLost(self) -> None:
        dispatch(self.owner.on_eof)

    def writeConnectionLost(self) -> None:
        dispatch(self.owner.on_shutdown)

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        call = self._shutdown_call
        if call is not None:
            self._shutdown_call = None
            if call.active():
                call.cancel()
        # Let go of the transport (Node drops its handle): Twisted's objects are then freed
        # as soon as Twisted is done with them, not with the owner's reference cycles.
        self.transport = None
        value = reason.value
        clean = value.__class__ is ConnectionDone or isinstance(value, ConnectionDone)
        loss = None if clean else _Loss(reason)
        dispatch(self.owner.on_close, loss)

    # -- IPushProducer: the transport's write back-pressure -----------------------------------

    def pauseProducing(self) -> None:
        self.write_paused = True

    def resumeProducing(self) -> None:
        self.write_paused = False
        dispatch(self.owner.on_writable)

    def stopProducing(self) -> None:
        # The transport is going away; connectionLost reports it.
        pass

    # -- the Handle: what the owner asks ------------------------------------------------------

    #: The reactor whose turns carry the reports: None, the one that runs twnet's ticks.
    loop = None

    def read_start(self) -> None:
        self.transport.resumeProducing()

    def read_stop(self) -> None:
        self.transport.pauseProducing()

    def write(self, data: bytes) -> BaseException | None:
        """Hand *data* to the kernel at once when Twisted's buffer is empty (a plain TCP
        transport), else to Twisted's buffer; the Node error when the kernel refused it."""
        error = write_now(self.transport, data)
        return None if error is None else translate(error, "write")

    def writev(self, chunks: Sequence[bytes]) -> None:
        self.transport.writeSequence(chunks)

    def shutdown(self) -> bool:
        """Half-close once the buffer is written: True, and ``on_shutdown`` follows. A
        transport that cannot half-close is closed instead (False: it goes once its buffer is
        written, TLS with its close_notify)."""
        transport = self.transport
        # A method of the transport's own class: a protocol wrapper (Twisted's TLS layer...)
        # forwards unknown attributes to the transport under it, whose half-close would cut
        # the connection under the wrapper and lose what the wrapper still holds.
        if getattr(type(transport), "loseWriteConnection", None) is None:
            # Twisted's TLS layer waits for its producer to go before it shuts down.
            transport.unregisterProducer()
            transport.loseConnection()
            return False
        self._shutdown_call = shut_down_write_soon(transport)
        if self._shutdown_call is None:
            transport.loseWriteConnection()
        return True

    def _cancel_shutdown(self) -> None:
        call, self._shutdown_call = self._shutdown_call, None
        if call is not None and call.active():
            call.cancel()

    def close(self, unsent: Sequence[bytes] = ()) -> bool:
        transport = self.transport
        call = self._shutdown_call
        if call is not None:
            self._shutdown_call = None
            if call.active():
                call.cancel()
        transport.unregisterProducer()
        # Node's close() drops what libuv had not handed to the kernel; the kernel still
        # sends what it holds, then a FIN. Twisted would wait for its buffer to drain
        # (forever, if the peer stopped reading): give the kernel what it takes now, drop
        # the rest and close at once.
        flushed = flush_and_drop(transport, list(unsent))
        if flushed is not None:
            # Not loseConnection(): it waits for the descriptor to be writable, which never
            # happens while the kernel's buffer is full and the peer does not read.
            # (on_close comes from inside: this is the call's last step.)
            close_now(transport)
            return True
        if self.write_paused and hasattr(transport, "abortConnection"):
            # A transport whose buffer we cannot reach (TLS...).
            transport.abortConnection()
        else:
            transport.loseConnection()
        return False

    def reset(self) -> None:
        self._cancel_shutdown()
        self.transport.unregisterProducer()
        self.transport.abortConnection()

    def resettable(self) -> bool:
        # Node resets TCP handles only: not a UNIX socket's (a Pipe), nor a TLS socket's.
        transport = self.transport
        return (
            hasattr(transport, "setTcpNoDelay")
            and _under_tls(transport) is None
            and not isinstance(transport.getHost(), UNIXAddress)
        )

    def busy(self) -> bool:
        return (
            self.write_paused
            or (self._shutdown_call is not None and self._shutdown_call.active())
            or transport_busy(self.transport)
        )

    def set_no_delay(self, enable: bool) -> None:
        setter = getattr(self.transport, "setTcpNoDelay", None)
        if setter is not None:
            setter(enable)

    def set_keep_alive(self, keep_alive: KeepAlive) -> None:
        keep_alive.apply(_kernel_transport(self.transport))

    def getsockname(self) -> AddressInfo | None:
        return address_info(self.transport.getHost())

    def getpeername(self) -> AddressInfo | None:
        return address_info(self.transport.getPeer())

    def os_socket(self) -> Any:
        get_handle = getattr(_kernel_transport(self.transport), "getHandle", None)
        return get_handle() if get_handle is not None else None

    def fileno(self) -> int:
        fileno = getattr(self.transport, "fileno", None)
        return fileno() if fileno is not None else -1


class _Loss:
    """A connection that went away other than cleanly (:class:`~twnet._handle.ConnectionLoss`)."""

    __slots__ = ("reason",)

    def __init__(self, reason: Failure) -> None:
        self.reason = reason

    def error(self, syscall: str, default: str) -> BaseException:
        return translate(self.reason, syscall, default=default)


def _under_tls(transport: Any) -> Any:
    """The transport under Twisted's TLS layer when *transport* is one (a protocol wrapper,
    whose own ``getHandle()`` is the OpenSSL connection), else None."""
    if getattr(transport, "wrappedProtocol", None) is None:
        return None
    return transport.transport


def _kernel_transport(transport: Any) -> Any:
    """The transport that holds the kernel socket: under any TLS layers."""
    for _ in range(4):  # a wrapper over a wrapper over TCP at most
        under = _under_tls(transport)
        if under is None:
            break
        transport = under
    return transport


def address_info(address: Any) -> AddressInfo | None:
    if isinstance(address, IPv6Address):
        return AddressInfo(address=address.host, family="IPv6", port=address.port)
    if isinstance(address, IPv4Address):
        return AddressInfo(address=address.host, family="IPv4", port=address.port)
    return None


def adopt(reactor: Any, fileno: int, family: int, owner: HandleOwner) -> None:
    """Make a connected stream socket (its descriptor *fileno*, which Twisted duplicates) a
    :class:`TCPHandle` reporting to *owner* (``IReactorSocket.adoptStreamConnection``)."""
    reactor.adoptStreamConnection(fileno, family, _AdoptFactory(owner))


class _AdoptFactory:
    """The factory ``adoptStreamConnection`` builds the adopted connection's protocol with."""

    def __init__(self, owner: HandleOwner) -> None:
        self.owner = owner

    def buildProtocol(self, addr: Any) -> TCPHandle:
        return TCPHandle(self.owner)

    def doStart(self) -> None:
        pass

    def doStop(self) -> None:
        pass
