"""The Twisted factory of a listening Server: one :class:`~twnet._tcp_handle.TCPHandle` (the
connection's protocol, reporting to a fresh Socket) per accepted connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twisted.internet.protocol import Factory

from twnet._runtime import dispatch

if TYPE_CHECKING:
    from twnet._server import Server
    from twnet._tcp_handle import TCPHandle

__all__ = ["ServerFactory"]


class ServerFactory(Factory):
    """Builds a :class:`~twnet._tcp_handle.TCPHandle` with a fresh server-side Socket per
    connection, or refuses it (``None`` closes it at once) when ``maxConnections`` is
    reached."""

    noisy = False

    def __init__(self, server: Server) -> None:
        self.server = server

    # TCPHandle provides IProtocol without Twisted's `factory` attribute (typed into
    # Factory.buildProtocol's result): nothing reads it for protocols built here.
    def buildProtocol(self, addr: Any) -> TCPHandle | None:  # type: ignore[override]
        return dispatch(self.server._accept, addr)
