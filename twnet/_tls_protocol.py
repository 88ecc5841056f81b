"""Twisted's TLS layer with Node's half-close: :class:`TLSProtocol` is a
:class:`twisted.protocols.tls.TLSMemoryBIOProtocol` that

- sends close_notify and then half-closes the TCP connection on ``loseWriteConnection()``
  (Node's ``end()``: data written before it always arrives), where Twisted's layer would
  half-close TCP under a live TLS session;
- reports the peer's close_notify, or its FIN, to the protocol it wraps as
  ``readConnectionLost()`` (Node's ``'end'``) instead of closing both ways;
- closes without close_notify on ``loseConnection()`` (Node's ``destroy()``): what was
  already encrypted goes, then a FIN;
- tells the socket over it when the handshake is done, and turns OpenSSL's failures into
  Node's errors in the ``Failure`` it passes to ``connectionLost``.

The socket is found as the wrapped protocol's ``owner`` (twnet's handle) or ``socket``.
"""

from __future__ import annotations

from typing import Any

from OpenSSL.SSL import Error, SysCallError, WantReadError, ZeroReturnError
from twisted.internet.interfaces import IHalfCloseableProtocol
from twisted.internet.main import CONNECTION_LOST
from twisted.internet.protocol import connectionDone
from twisted.protocols.tls import TLSMemoryBIOFactory, TLSMemoryBIOProtocol
from twisted.python.failure import Failure
from zope.interface import implementer

from twnet._errors import tls_error
from twnet._tls_context import NoApplicationProtocol
from twnet._tls_verify import ssl_error
from twnet._transport import close_now, flush_and_drop

__all__ = ["TLSFactory", "TLSProtocol", "socket_of"]


def socket_of(protocol: Any) -> Any:
    """The twnet socket a wrapped protocol (handle) belongs to, or None."""
    for name in ("owner", "socket"):
        found = getattr(protocol, name, None)
        if found is not None:
            return found
    return None


def node_failure(failure: Failure) -> Failure:
    """An OpenSSL failure as Node's error (``ERR_SSL_...``), in a Failure."""
    value = failure.value
    if isinstance(value, NoApplicationProtocol):
        return Failure(
            tls_error(
                "ERR_SSL_NO_APPLICATION_PROTOCOL",
                "SSL routines:tls_handle_alpn:no application protocol",
                library="SSL routines",
                reason="no application protocol",
            )
        )
    if isinstance(value, Error):
        return Failure(ssl_error(value.args[0] if value.args else []))
    return failure


def _represents_eof(error: Error) -> bool:
    """Whether an OpenSSL error is the peer's TCP close in the middle of TLS."""
    if isinstance(error, SysCallError):  # (errno, text): the transport's end
        return True
    queue = error.args[0] if error.args else []
    if not queue or not isinstance(queue, list):
        return True
    return str(queue[-1][-1]).casefold().startswith("unexpected eof")


@implementer(IHalfCloseableProtocol)
class TLSProtocol(TLSMemoryBIOProtocol):
    """TLS with Node's end(), EOF and destroy() (see the module docstring)."""

    _peer_ended = False  # close_notify or FIN seen: the wrapped protocol was told
    _write_closing = False  # loseWriteConnection() called
    _write_closed = False  # our close_notify and FIN are out
    _handshake_told = False
    _tcp_ended = False  # the peer's FIN arrived
    _app_paused = False  # the socket over us stopped reading (pause(), pauseOnConnect)
    _held_call: Any = None

    # -- handshake ---------------------------------------------------------------------

    def _checkHandshakeStatus(self) -> None:
        try:
            super()._checkHandshakeStatus()  # type: ignore[no-untyped-call]
        except NoApplicationProtocol:
            # pyOpenSSL re-raises our ALPN callback's exception from do_handshake (OpenSSL
            # has queued the fatal alert): fail as OpenSSL fails a handshake.
            self._reason = node_failure(Failure())
            super()._tlsShutdownFinished(None)  # type: ignore[no-untyped-call]
            return
        if self._handshakeDone and not self._handshake_told:
            self._handshake_told = True
            owner = socket_of(self.wrappedProtocol)
            hook = getattr(owner, "_tls_handshake_done", None)
            if hook is not None and not self._lostTLSConnection:
                hook(self)
            if self._app_paused and not self._lostTLSConnection:
                self.transport.pauseProducing()  # type: ignore[union-attr]
            self._close_write_if_flushed()

    def _tlsShutdownFinished(self, reason: Failure | None) -> None:
        """TLS is over (an OpenSSL failure, or the peer's close_notify answered): the alert
        OpenSSL queued goes out, then the TCP connection closes at once, as Node closes its
        handle (Twisted would wait a turn, and data the peer sends meanwhile would make the
        close an RST)."""
        if reason is not None:
            if isinstance(reason.value, Error) and _represents_eof(reason.value):
                reason = Failure(CONNECTION_LOST)
            else:
                reason = node_failure(reason)
                if self._handshakeDone and self._reason is None:
                    # Node's _emitTLSError: after the handshake an OpenSSL failure is an
                    # 'error' on the socket, which then ends as the connection ends.
                    owner = socket_of(self.wrappedProtocol)
                    hook = getattr(owner, "_tls_error", None)
                    if hook is not None:
                        hook(reason.value)
                        reason = None
        if self._reason is None:
            self._reason = reason
        self._lostTLSConnection = True
        self._flushSendBIO()
        self._close_tcp()

    def _close_tcp(self) -> None:
        transport = self.transport
        if transport is None or getattr(transport, "disconnecting", False):
            return
        if flush_and_drop(transport, []) is not None:
            close_now(transport)
        else:
            transport.loseConnection()

    def _flushSendBIO(self) -> None:
        if self._aborted:
            # Destroyed (maybe from the handshake callback, before OpenSSL's last handshake
            # message went out, as Node's destroy() there): nothing more is sent.
            try:
                self._tlsConnection.bio_read(2**17)
            except (WantReadError, Error):
                pass
            return
        super()._flushSendBIO()  # type: ignore[no-untyped-call]

    # -- reading: close_notify and FIN are the peer's end -------------------------------

    # -- reading paused: the data waits, the handshake goes on (as Node's TLSWrap) ----------

    def pauseProducing(self) -> None:
        """Stop delivering data; TCP stops being read once the handshake is done."""
        self._app_paused = True
        if self._handshakeDone:
            self.transport.pauseProducing()  # type: ignore[union-attr]

    def resumeProducing(self) -> None:
        """Deliver again: what OpenSSL already holds on the next reactor turn, then TCP."""
        self._app_paused = False
        transport: Any = self.transport
        transport.resumeProducing()
        if self._handshakeDone and self._held_call is None:
            self._held_call = self.factory._clock.callLater(0, self._deliver_held)

    def _deliver_held(self) -> None:
        self._held_call = None
        if self._lostTLSConnection or self._tlsConnection is None or self._app_paused:
            return
        if self._tcp_ended:
            self.readConnectionLost()
        else:
            self._flushReceiveBIO()

    def _flushReceiveBIO(self) -> None:
        while not self._lostTLSConnection and not self._peer_ended and not self._app_paused:
            try:
                data = self._tlsConnection.recv(2**15)
            except WantReadError:
                break
            except ZeroReturnError:
                self._on_peer_end()
                break
            except Error as error:
                if self._tcp_ended and _represents_eof(error):
                    # A FIN without close_notify: an end, as Node (which tells OpenSSL to
                    # ignore an unexpected EOF) sees it.
                    self._on_peer_end()
                else:
                    self._tlsShutdownFinished(Failure())
                break
            else:
                if not self._aborted:
                    self.wrappedProtocol.dataReceived(data)
        if self._tlsConnection is not None:
            self._flushSendBIO()

    def _on_peer_end(self) -> None:
        if self._peer_ended:
            return
        self._peer_ended = True
        if self._write_closed or not IHalfCloseableProtocol.providedBy(self.wrappedProtocol):
            self._close_tcp()
            return
        self.wrappedProtocol.readConnectionLost()

    def readConnectionLost(self) -> None:
        """The peer's FIN."""
        if not self._handshakeDone:
            self._tlsShutdownFinished(None)
            return
        self._tcp_ended = True
        if self._app_paused:
            return  # after the held data, once reading resumes (_deliver_held)
        if not self._lostTLSConnection and not self._peer_ended:
            # Data still in the receive BIO first; a FIN without close_notify is an end
            # too (Node ignores OpenSSL's unexpected-EOF).
            self._tlsConnection.bio_shutdown()
            self._flushReceiveBIO()
        self._on_peer_end()

    def writeConnectionLost(self) -> None:
        """Our FIN is out (after our close_notify)."""
        self._write_closed = True
        if IHalfCloseableProtocol.providedBy(self.wrappedProtocol):
            self.wrappedProtocol.writeConnectionLost()
        if self._peer_ended:
            self._close_tcp()

    # -- writing: end() and destroy() ---------------------------------------------------

    def loseWriteConnection(self) -> None:
        """Node's ``end()``: once what was written is encrypted, close_notify, then a FIN."""
        if self._write_closing or self._lostTLSConnection or not self.connected:
            return
        self._write_closing = True
        self._close_write_if_flushed()

    def _close_write_if_flushed(self) -> None:
        if (
            not self._write_closing
            or self._write_closed
            or self._lostTLSConnection
            or self._aborted
        ):
            return
        if self._appSendBuffer or not self._handshakeDone:
            return  # after the handshake / the buffered writes (_unbufferPendingWrites)
        try:
            self._tlsConnection.shutdown()
        except Error:
            pass
        self._flushSendBIO()
        transport: Any = self.transport
        lose_write = getattr(transport, "loseWriteConnection", None)
        if lose_write is not None:
            lose_write()
        else:
            transport.loseConnection()

    def _unbufferPendingWrites(self) -> None:
        super()._unbufferPendingWrites()  # type: ignore[no-untyped-call]
        self._close_write_if_flushed()

    def loseConnection(self) -> None:
        """Node's ``destroy()``: no close_notify; what is already encrypted goes, then a
        FIN (a handshake under way is abandoned)."""
        if self.disconnecting or not self.connected:
            return
        self.disconnecting = True
        self._appSendBuffer = []
        self._aborted = True
        self._close_tcp()

    def abortConnection(self) -> None:
        self._aborted = True
        self.disconnecting = True
        transport: Any = self.transport
        transport.abortConnection()

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        held, self._held_call = self._held_call, None
        if held is not None and held.active():
            held.cancel()
        self._app_paused = False  # what OpenSSL still holds goes before the close
        if self._aborted:
            self._lostTLSConnection = True  # destroyed: nothing more is read
        if not self._handshakeDone and self._reason is None and not self._aborted:
            # The connection went away during the handshake: the socket over us says what
            # Node says (ECONNRESET, with the client's or the server's message).
            owner = socket_of(self.wrappedProtocol)
            hook = getattr(owner, "_tls_lost_in_handshake", None)
            if hook is not None:
                self._reason = Failure(hook())
        super().connectionLost(reason)  # type: ignore[no-untyped-call]


class TLSFactory(TLSMemoryBIOFactory):
    """A :class:`~twisted.protocols.tls.TLSMemoryBIOFactory` building :class:`TLSProtocol`."""

    protocol = TLSProtocol
