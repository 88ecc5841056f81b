"""Twisted failures as Node errors: the one place that knows Twisted's exception classes.

A Twisted connect or listen fails with a :class:`~twisted.python.failure.Failure` whose
exception is one of :mod:`twisted.internet.error`'s classes (``ConnectionRefusedError``,
``CannotListenError``, ``DNSLookupError``...), some carrying the errno they stand for,
some implying one. :func:`translate` recognises them with ``Failure.check`` and hands what
is left (an :class:`OSError`, a resolver error, twnet's own error) to
:func:`twnet._errors.translate_exception`, which knows nothing of Twisted.
"""

from __future__ import annotations

import errno as _errno
import socket
from typing import Any, cast

from twisted.internet import defer
from twisted.internet import error as terror
from twisted.python.failure import Failure

from twnet._errors import system_error, translate_exception

__all__ = ["translate"]

#: Twisted's connect errors that stand for an errno without carrying it.
_IMPLIED_ERRNO: tuple[tuple[type[BaseException], int], ...] = (
    (terror.ConnectionRefusedError, _errno.ECONNREFUSED),
    (terror.TCPTimedOutError, _errno.ETIMEDOUT),
    (terror.NoRouteError, _errno.EHOSTUNREACH),
    (terror.ConnectBindError, _errno.EADDRINUSE),
)

#: What stands for a connection that timed out with no errno: Twisted's connector timeout
#: (``error.TimeoutError``, a ``UserError``) and a Deferred's timeout.
_TIMEOUTS = (terror.TimeoutError, defer.TimeoutError)


def translate(
    error: BaseException | Failure,
    syscall: str,
    address: str | None = None,
    port: int | None = None,
    *,
    default: str = "ECONNRESET",
    detailed: bool = False,
) -> BaseException:
    """Node's system error for a Twisted failure (or exception) of *syscall*; twnet's own
    errors pass through unchanged.

    An error that carries an errno (``ConnectError.osError``, ``CannotListenError``'s
    ``socketError``, an :class:`OSError`) gets its code; Twisted's classes that imply one get
    theirs (``ConnectionRefusedError`` ECONNREFUSED, ``NoRouteError`` EHOSTUNREACH...); a
    ``DNSLookupError`` or ``UnknownHostError`` is ENOTFOUND (EAI_AGAIN for a temporary
    failure) with ``syscall='getaddrinfo'`` and ``hostname=address``; a timeout ETIMEDOUT;
    anything else (``ConnectionLost`` from a failed ``recv``...) *default*.
    """
    if isinstance(error, Failure):
        failure, value = error, cast(BaseException, error.value)
    else:
        failure, value = Failure(error), error
    if failure.check(terror.ConnectError, terror.CannotListenError, terror.DNSLookupError):
        number = _carried_errno(value)
        if failure.check(terror.DNSLookupError, terror.UnknownHostError):
            code = "EAI_AGAIN" if number == socket.EAI_AGAIN else "ENOTFOUND"
            return system_error(code, "getaddrinfo", hostname=address)
        if number is None:
            number = next((n for kind, n in _IMPLIED_ERRNO if failure.check(kind)), None)
        if number is not None:
            return system_error(number, syscall, address, port, detailed=detailed)
    if failure.check(*_TIMEOUTS) is not None:
        return system_error("ETIMEDOUT", syscall, address, port, detailed=detailed)
    tls = _tls_error(value)
    if tls is not None:
        return tls
    return translate_exception(value, syscall, address, port, default=default, detailed=detailed)


def _tls_error(value: BaseException) -> BaseException | None:
    """Node's error for a failure of Twisted's TLS layer (a ``tls:``/``ssl:`` endpoint, or
    twnet.tls): OpenSSL's (``ERR_SSL_`` + its reason, e.g. ``ERR_SSL_CERTIFICATE_VERIFY_FAILED``
    when Twisted's own verification refused the peer) or service_identity's name check
    (``ERR_TLS_CERT_ALTNAME_INVALID``). None for anything else."""
    module = type(value).__module__
    if module.startswith("OpenSSL"):
        from twnet._tls_verify import ssl_error

        reasons = value.args[0] if value.args else []
        if isinstance(reasons, list) and reasons:
            return ssl_error(reasons)
        return None  # a SysCallError: the transport's own end
    if module.startswith("service_identity"):
        from twnet._tls_verify import altname_error

        return altname_error(str(value))
    return None


def _carried_errno(value: Any) -> int | None:
    """The errno a Twisted connect/listen error carries (``osError`` of a ``ConnectError``,
    an int or an :class:`OSError`; ``socketError`` of a ``CannotListenError``), else None."""
    if isinstance(value, OSError) and value.errno:
        return value.errno
    carried = getattr(value, "osError", None)
    if carried is None:
        carried = getattr(value, "socketError", None)
    if isinstance(carried, int):
        return carried
    if isinstance(carried, OSError) and carried.errno:
        return carried.errno
    return None
