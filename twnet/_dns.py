"""Name resolution, the Twisted side: Node's ``dns.lookup`` over the reactor's
``IHostnameResolver`` (``reactor.nameResolver``), which answers through an
``IResolutionReceiver`` without blocking the loop.

:func:`default_lookup` is the ``lookup`` a connect or a listen uses when the caller gave none;
:func:`refused_name` says which names Node's ``getaddrinfo`` refuses before asking the system.
"""

from __future__ import annotations

import encodings.idna
import re
from collections.abc import Callable
from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostResolution, IResolutionReceiver
from zope.interface import implementer

from twnet import _runtime
from twnet._errors import system_error
from twnet._uts46 import uts46_refuses

__all__ = ["default_lookup", "refused_name"]


@implementer(IResolutionReceiver)
class _Collector:
    """Collects what ``IHostnameResolver.resolveHostName`` finds."""

    def __init__(self, done: Callable[[list[tuple[str, int]]], None]) -> None:
        self.found: list[tuple[str, int]] = []
        self.done = done

    def resolutionBegan(self, resolutionInProgress: IHostResolution) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        if isinstance(address, IPv6Address):
            self.found.append((address.host, 6))
        elif isinstance(address, IPv4Address):
            self.found.append((address.host, 4))

    def resolutionComplete(self) -> None:
        _runtime.dispatch(self.done, self.found)


_DOTS = re.compile("[.\u3002\uff0e\uff61]")  # the label separators of IDNA


def refused_name(host: str) -> str | None:
    """The code Node 24's ``getaddrinfo`` fails with for a host name it refuses before (or
    instead of) asking the system, else None: ``EINVAL`` when the name cannot be converted
    to ASCII (a lone surrogate, a non-ASCII character UTS-46 refuses such as U+2028 or an
    unassigned one, see :mod:`twnet._uts46`) or its ASCII form
    takes 256 bytes or more (libuv's limit); ``ENOTFOUND`` for an empty label or one over
    63 bytes (``'a..b'``), which Python's resolver refuses with a ``UnicodeError``."""
    try:
        host.encode("utf-8")
    except UnicodeEncodeError:
        return "EINVAL"
    if uts46_refuses(host):
        return "EINVAL"  # Node's UTS-46 conversion to ASCII fails
    labels = _DOTS.split(host)
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()  # a trailing dot: the root
    size = len(labels) - 1
    bad_label = False
    for label in labels:
        if label.isascii():
            ascii_label = label.encode("ascii")
        else:
            try:
                ascii_label = encodings.idna.ToASCII(label)
            except UnicodeError:  # too long, or refused by IDNA2003 but not by UTS-46
                ascii_label = b"xn--" + label.encode("punycode")
        size += len(ascii_label)
        bad_label = bad_label or not 0 < len(ascii_label) <= 63
    if size >= 256:
        return "EINVAL"
    return "ENOTFOUND" if bad_label else None


def default_lookup(reactor: Any) -> Callable[..., None]:
    """Node's ``dns.lookup`` over the reactor's ``IHostnameResolver``: calls
    ``callback(err, address, family)``, or ``callback(err, [{'address', 'family'}...])``
    with ``options['all']``."""

    def lookup(host: str, options: dict[str, Any], callback: Callable[..., Any]) -> None:
        refused = refused_name(host)
        if refused is not None:
            # Node's getaddrinfo fails too, on a later tick. (Twisted's resolver would
            # fail inside its thread and never answer.)
            _runtime.next_tick(callback, system_error(refused, "getaddrinfo", hostname=host))
            return
        family = options.get("family") or 0
        types = {4: [IPv4Address], 6: [IPv6Address]}.get(family)

        def done(found: list[tuple[str, int]]) -> None:
            if not found:
                callback(system_error("ENOTFOUND", "getaddrinfo", hostname=host))
            elif options.get("all"):
                callback(None, [{"address": ip, "family": fam} for ip, fam in found])
            else:
                callback(None, found[0][0], found[0][1])

        try:
            reactor.nameResolver.resolveHostName(_Collector(done), host, 0, types)
        except Exception as cause:
            # A resolver that fails at once: Node's lookup error, never a socket left
            # connecting forever.
            error = system_error("ENOTFOUND", "getaddrinfo", hostname=host)
            error.__cause__ = cause
            _runtime.next_tick(callback, error)

    return lookup
