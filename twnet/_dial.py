"""Client connections, the Twisted side: one connect attempt through a Twisted client
endpoint, reported to Node's connect orchestration (:mod:`twnet._connect`) without Twisted
types.

An attempt is an ``IStreamClientEndpoint.connect`` whose protocol is the socket's handle; it
connects the socket by itself (the handle reports ``connectionMade`` to its owner). What
comes back here is only a failure, as a :class:`DialFailure` that turns into Node's error on
request, and the means to abandon the attempt (:meth:`Attempt.cancel`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twisted.internet import endpoints
from twisted.internet.defer import CancelledError, Deferred, fail
from twisted.internet.error import ConnectBindError, ConnectingCancelledError
from twisted.internet.interfaces import IStreamClientEndpoint
from twisted.internet.protocol import Factory
from twisted.python.failure import Failure

from twnet import _runtime
from twnet._failures import translate
from twnet._tcp_handle import TCPHandle

__all__ = [
    "Attempt",
    "DialFailure",
    "attempt",
    "is_client_endpoint",
    "tcp_endpoint",
    "unix_endpoint",
]


def is_client_endpoint(value: object) -> bool:
    """Whether *value* is a Twisted ``IStreamClientEndpoint``."""
    return IStreamClientEndpoint.providedBy(value)


def tcp_endpoint(
    reactor: Any, ip: str, port: int, family: int, local: tuple[str, int] | None
) -> Any:
    """The TCP4/TCP6 client endpoint to *ip*:*port* (no timeout: Node has none), bound to
    *local* when given."""
    kind = endpoints.TCP6ClientEndpoint if family == 6 else endpoints.TCP4ClientEndpoint
    return kind(reactor, ip, port, timeout=None, bindAddress=local)  # type: ignore[arg-type]


def unix_endpoint(reactor: Any, path: bytes) -> Any:
    """The UNIX client endpoint to *path* (the bytes the kernel gets)."""
    return endpoints.UNIXClientEndpoint(reactor, path, timeout=None)


class DialFailure:
    """Why a connect attempt failed, as Node's error on request."""

    __slots__ = ("_failure",)

    def __init__(self, failure: Failure) -> None:
        self._failure = failure

    @property
    def bind_failed(self) -> bool:
        """Binding the local end (``localAddress``/``localPort``) failed, before any
        connection attempt."""
        return self._failure.check(ConnectBindError) is not None

    def error(
        self, syscall: str, address: str | None = None, port: int | None = None, *, default: str
    ) -> BaseException:
        """Node's error for *syscall* (*default*: the code when the failure carries none)."""
        return translate(self._failure, syscall, address, port, default=default)


class Attempt:
    """One endpoint connect under way."""

    __slots__ = ("_deferred",)

    def __init__(self, deferred: Deferred[Any]) -> None:
        self._deferred = deferred

    @property
    def done(self) -> bool:
        """The endpoint answered (connected or failed)."""
        return self._deferred.called

    def cancel(self) -> None:
        """Abandon the attempt (no failure is reported for it)."""
        self._deferred.cancel()


class _HandleFactory(Factory):
    """Builds the one protocol of a client connection: the socket's handle."""

    noisy = False

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    def buildProtocol(self, addr: Any) -> TCPHandle:  # type: ignore[override]
        return TCPHandle(self.owner)  # (no `factory` attribute: see _listen.AcceptFactory)


def attempt(
    endpoint: Any,
    owner: Any,
    on_error: Callable[[DialFailure], None],
    abandoned: Callable[[], bool],
) -> Attempt:
    """Connect *owner* (the socket a handle reports to) through *endpoint*. *on_error* gets a
    failure other than the attempt's own cancellation, unless *abandoned()* says the socket
    no longer wants it; never synchronously (Node reports connect errors asynchronously, so
    a listener attached after ``connect()`` hears them)."""
    starting = True

    def failed(failure: Failure) -> None:
        # (An endpoint cancelled while connecting fails with ConnectingCancelledError.)
        if failure.check(CancelledError, ConnectingCancelledError) is not None or abandoned():
            return
        _runtime.deliver(starting, on_error, DialFailure(failure))

    deferred: Deferred[Any]
    try:
        factory: Any = _HandleFactory(owner)
        wrap = getattr(owner, "_wrap_client_factory", None)  # a TLS socket's (twnet.tls)
        if wrap is not None:
            factory = wrap(factory)
        deferred = endpoint.connect(factory)
    except Exception:
        # An endpoint (or the connector under it) that raises instead of failing its
        # Deferred: the same 'error' and 'close', never a socket left connecting.
        deferred = fail()
    deferred.addErrback(failed)
    starting = False
    return Attempt(deferred)
