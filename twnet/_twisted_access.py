"""twnet's own way from a socket to Twisted: :meth:`TransportAccess.getTransport`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twnet._naming import add_snake_twins

__all__ = ["TransportAccess"]


class TransportAccess:
    """A mixin of :class:`~twnet.Socket` (Node has no counterpart)."""

    __slots__ = ()

    def getTransport(self) -> Any:
        """The Twisted transport under this socket (an ``ITCPTransport``; under
        :mod:`twnet.tls` or a Twisted TLS endpoint an ``ISSLTransport``, whose
        ``getPeerCertificate()`` is pyOpenSSL's ``X509`` of the peer), or None before the
        socket connects and once its connection is closed. For what twnet has no method
        for: use it with care, twnet expects to be the only one reading and writing."""
        handle = getattr(self, "_handle", None)
        return getattr(handle, "transport", None)

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        get_transport = getTransport


add_snake_twins(TransportAccess)
