"""twnet._failures.translate: Twisted's failures recognised by class (Failure.check), errnos
carried or implied, and the Twisted-free twnet._errors.translate_exception under it."""

from __future__ import annotations

import errno
import socket

from twisted.internet import defer
from twisted.internet import error as terror
from twisted.python.failure import Failure

from twnet._errors import NodeSystemError, translate_exception
from twnet._failures import translate


def test_implied_errnos() -> None:
    cases = [
        (terror.NoRouteError(), "EHOSTUNREACH"),
        (terror.ConnectBindError(), "EADDRINUSE"),
        (terror.TCPTimedOutError(), "ETIMEDOUT"),
        (terror.ConnectionRefusedError(), "ECONNREFUSED"),
    ]
    for original, code in cases:
        err = translate(Failure(original), "connect", "127.0.0.1", 9)
        assert (err.code, err.syscall) == (code, "connect"), original  # type: ignore[attr-defined]


def test_a_carried_errno_wins_over_the_class() -> None:
    # A ConnectBindError carrying EADDRNOTAVAIL is that, not the class's EADDRINUSE.
    original = terror.ConnectBindError(errno.EADDRNOTAVAIL, "Cannot assign requested address")
    err = translate(original, "bind", "10.9.9.9", 5)
    assert err.code == "EADDRNOTAVAIL"  # type: ignore[attr-defined]


def test_a_subclass_is_recognised_by_class_not_name() -> None:
    class Refused(terror.ConnectionRefusedError):
        pass

    assert translate(Refused(), "connect", "::1", 1).code == "ECONNREFUSED"  # type: ignore[attr-defined]


def test_timeouts_without_errno() -> None:
    for original in (terror.TimeoutError(), defer.TimeoutError("Deferred"), TimeoutError()):
        err = translate(original, "connect", "127.0.0.1", 80)
        assert isinstance(err, TimeoutError) and isinstance(err, NodeSystemError), original
        assert err.code == "ETIMEDOUT"


def test_a_user_abort_is_the_default() -> None:
    # UserError ("User aborted connection.") carries no errno and is no timeout.
    err = translate(terror.UserError(), "connect", "127.0.0.1", 80, default="ECONNREFUSED")
    assert err.code == "ECONNREFUSED"  # type: ignore[attr-defined]


def test_translate_exception_knows_no_twisted() -> None:
    # Without Twisted's knowledge a Twisted class that carries no errno is the default.
    err = translate_exception(terror.ConnectionRefusedError(), "connect", default="EPIPE")
    assert err.code == "EPIPE"  # type: ignore[attr-defined]
    err = translate_exception(socket.gaierror(socket.EAI_AGAIN, "again"), "connect", "h")
    assert str(err) == "getaddrinfo EAI_AGAIN h"
    err = translate_exception(OSError(errno.EPIPE, "pipe"), "write")
    assert isinstance(err, BrokenPipeError) and str(err) == "write EPIPE"
