"""Node's argument triage for ``socket.connect()`` and ``server.listen()``: each call's many
forms normalised and checked (through :mod:`twnet._validators`, in Node's order, before
anything changes) into one request record the facades act on.

``connect``: ``(options[, cb])``, ``(path[, cb])``, ``(port[, host][, cb])``,
``(endpoint[, cb])`` -> :class:`ConnectRequest`. ``listen``: see :class:`ListenRequest`.
"""

from __future__ import annotations

import socket as _pysocket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twnet import _dial
from twnet._address import normalize_args
from twnet._errors import invalid_arg_type, make_error
from twnet._isip import isIP
from twnet._naming import options as camel_options
from twnet._validators import (
    is_number,
    js_truthy,
    to_uint32,
    validate_boolean,
    validate_function,
    validate_int32,
    validate_number,
    validate_one_of,
    validate_port,
    validate_string,
    validate_string_without_null_bytes,
)

__all__ = ["ConnectRequest", "connect_request"]


@dataclass(slots=True)
class ConnectRequest:
    """One valid ``connect()``: through a Twisted *endpoint*, to a UNIX *path*, or over TCP
    to *host*:*port* (the rest are the TCP options as Node's ``lookupAndConnect`` reads
    them: ``family`` and ``hints`` for the look-up, None where not given)."""

    callback: Callable[..., Any] | None
    endpoint: Any = None
    path: str | None = None
    host: str = "localhost"
    port: int = 0
    local_address: str | None = None
    local_port: float | None = None
    family: Any = None
    hints: Any = 0
    lookup: Callable[..., Any] | None = None
    auto_select_family: bool | None = None
    attempt_timeout: int | None = None


def connect_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> ConnectRequest:
    """Node's ``normalizeArgs`` and ``connect``'s checks (``ERR_MISSING_ARGS`` without port,
    path or endpoint; then the path's, or every TCP check ``lookupAndConnect`` and
    ``dns.lookup`` make before ``connect()`` returns). Keyword options are Node's options
    (snake_case twins too)."""
    options, cb = normalize_args(args)
    if kwargs:
        options.update(camel_options(None, **kwargs))
    endpoint = _client_endpoint(options)
    path = options.get("path")
    if endpoint is None and "port" not in options and path is None:
        raise make_error("ERR_MISSING_ARGS", "options", "port", "path")
    if endpoint is not None:
        return ConnectRequest(cb, endpoint=endpoint)
    if js_truthy(path):  # Node: a falsy path ('') means TCP
        return ConnectRequest(cb, path=validate_string(path, "options.path"))
    _validate_tcp_options(options)
    return ConnectRequest(
        cb,
        host=options["host"],
        port=options["port"],
        local_address=options["localAddress"],
        local_port=options["localPort"],
        family=options.get("family"),
        hints=options.get("hints") or 0,
        lookup=options.get("lookup"),
        auto_select_family=options.get("autoSelectFamily"),
        attempt_timeout=options.get("autoSelectFamilyAttemptTimeout"),
    )


def _client_endpoint(options: dict[str, Any]) -> Any:
    """The Twisted ``IStreamClientEndpoint`` given as ``endpoint`` (or ``handle``), else
    None: any other value is an option Node does not know, and ignores."""
    for key in ("endpoint", "handle"):
        value = options.get(key)
        if value is not None and _dial.is_client_endpoint(value):
            return value
    return None


def _validate_tcp_options(options: dict[str, Any]) -> None:
    """Node's checks of a TCP ``connect`` (``lookupAndConnect``, and ``dns.lookup``'s when
    the host is a name looked up by the default resolver), made before anything starts.
    Normalizes ``host``, ``port``, ``localAddress``, ``localPort``, ``family``, ``hints``
    and the attempt timeout."""
    host = options.get("host")
    host = host if js_truthy(host) else "localhost"
    options["host"] = validate_string_without_null_bytes(host, "options.host")
    local_address = options.get("localAddress")
    if js_truthy(local_address):
        if not isinstance(local_address, str) or not isIP(local_address):
            raise make_error("ERR_INVALID_IP_ADDRESS", local_address)
    else:
        options["localAddress"] = None
    local_port = options.get("localPort")
    if js_truthy(local_port):
        validate_number(local_port, "options.localPort")
    else:
        options["localPort"] = None
    if "port" in options:
        port = options["port"]
        if not isinstance(port, str) and not is_number(port):
            raise invalid_arg_type("options.port", ["number", "string"], port)
        options["port"] = validate_port(port)
    else:
        options["port"] = 0  # Node: `port |= 0` of undefined
    auto = options.get("autoSelectFamily")
    if auto is not None:
        validate_boolean(auto, "options.autoSelectFamily")
    attempt = options.get("autoSelectFamilyAttemptTimeout")
    if attempt is not None:
        attempt = validate_int32(attempt, "options.autoSelectFamilyAttemptTimeout", 1)
        options["autoSelectFamilyAttemptTimeout"] = max(10, attempt)
    if isIP(host):
        return  # Node connects to an IP literal without looking at the rest
    lookup = options.get("lookup")
    if lookup is not None:
        validate_function(lookup, "options.lookup")
    family = options.get("family")
    family = {"IPv4": 4, "IPv6": 6}.get(family, family) if isinstance(family, str) else family
    hints = options.get("hints")
    hints = hints if js_truthy(hints) else 0
    if lookup is None:
        # dns.lookup's own checks, which Node makes before connect() returns.
        validate_number(hints, "options.hints")
        if to_uint32(hints) & ~_DNS_HINTS:
            raise make_error("ERR_INVALID_ARG_VALUE", "hints", to_uint32(hints))
        if family is not None:
            validate_one_of(family, "options.family", (0, 4, 6))
    options["family"] = family
    options["hints"] = hints


#: ``dns.ADDRCONFIG | dns.ALL | dns.V4MAPPED``: the only hints ``dns.lookup`` accepts.
_DNS_HINTS = _pysocket.AI_ADDRCONFIG | _pysocket.AI_ALL | _pysocket.AI_V4MAPPED
