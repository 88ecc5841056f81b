"""Node's argument triage for ``socket.connect()`` and ``server.listen()``: each call's many
forms normalised and checked (through :mod:`twnet._validators`, in Node's order, before
anything changes) into one request record the facades act on.

``connect``: ``(options[, cb])``, ``(path[, cb])``, ``(port[, host][, cb])``,
``(endpoint[, cb])`` -> :class:`ConnectRequest`. ``listen``: see :class:`ListenRequest`.
"""

from __future__ import annotations

import socket as _pysocket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from twnet import _dial
from twnet._address import normalize_args
from twnet._errors import invalid_arg_type, make_error
from twnet._isip import isIP
from twnet._listen import has_ipv6
from twnet._naming import options as camel_options
from twnet._validators import (
    is_function,
    is_number,
    is_pipe_name,
    js_truthy,
    to_int32,
    to_number,
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

__all__ = ["ConnectRequest", "ListenRequest", "connect_request", "listen_request"]


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
    endpoint = _client_endpoint(options) if "endpoint" in options or "handle" in options else None
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


# -- listen ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ListenRequest:
    """One valid ``listen()``: through an *endpoint* (a Twisted one, or one made for a
    handle), on a descriptor *fd*, on a TCP *port* (with a *host* to look up, or the default
    host), or on a UNIX *path*."""

    callback: Callable[..., Any] | None
    backlog: int = 511
    endpoint: Any = None
    fd: float | None = None
    port: int | None = None
    host: str | None = None
    path: str | None = None
    ipv6_only: bool = False
    reuse_port: bool = False
    readable_all: bool = False
    writable_all: bool = False

    @property
    def default_host(self) -> str:
        """Node's host when none is given: ``::`` (dual-stack) with IPv6, else ``0.0.0.0``."""
        return "::" if has_ipv6() else "0.0.0.0"


def listen_request(
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    listening: bool,
    handle_endpoint: Callable[[Any, int], Any],
    abort_on: Callable[[Any], None],
) -> ListenRequest:
    """Node's ``listen`` argument triage, in Node's order: ``normalizeArgs``, then
    ``ERR_SERVER_ALREADY_LISTEN`` when *listening*, a handle (*handle_endpoint(handle,
    backlog)* gives its endpoint, or None to read it as options), the ``signal`` option
    (*abort_on(signal)*: checked and applied there, as Node applies it), a descriptor, a
    port (and host), a path; else ``ERR_INVALID_ARG_VALUE``."""
    if kwargs:
        args = _merge_keywords(args, camel_options(None, **kwargs))
    options, cb = normalize_args(args)
    if listening:
        raise make_error("ERR_SERVER_ALREADY_LISTEN")
    backlog_from_args: object = 0  # Node: toNumber(args[1]) || toNumber(args[2])
    for extra in args[1:3]:
        number = to_number(extra)
        if number >= 0 and number != 0:
            backlog_from_args = number
            break
    handle = options.get("_handle") or options.get("handle") or options.get("endpoint")
    if handle is not None:
        endpoint = handle_endpoint(handle, _backlog(backlog_from_args))
        if endpoint is not None:
            if "endpoint" in options:  # twnet's own form: the options keep their signal
                abort_on(options.get("signal"))
            return ListenRequest(cb, endpoint=endpoint)
        # Node goes on with the handle as the options (``{'handle': {'fd': 3}}``).
        options = camel_options(handle) if isinstance(handle, Mapping) else {}
    abort_on(options.get("signal"))
    fd = options.get("fd")
    if is_number(fd) and fd >= 0:
        # An fd that is no listening socket fails asynchronously (EINVAL), as in Node.
        return ListenRequest(cb, fd=fd, backlog=_backlog(backlog_from_args))
    no_port = not args or is_function(args[0]) or args[0] is None
    if no_port or ("port" in options and options["port"] is None):
        options["port"] = 0
    port = options.get("port")
    if isinstance(port, str) or is_number(port):
        number = validate_port(port, "options.port")
        backlog = _backlog(options.get("backlog") or backlog_from_args)
        host = options.get("host")
        # Node's dns.lookup(host) throws these at once
        host = validate_string_without_null_bytes(host, "hostname") if js_truthy(host) else None
        return ListenRequest(
            cb,
            port=number,
            host=host,
            backlog=backlog,
            ipv6_only=options.get("ipv6Only") is True,
            reuse_port=options.get("reusePort") is True,
        )
    path = options.get("path")
    if js_truthy(path) and is_pipe_name(path):
        readable_all, writable_all = options.get("readableAll"), options.get("writableAll")
        if path[0] == "\0" and (js_truthy(readable_all) or js_truthy(writable_all)):
            raise make_error(
                "ERR_INVALID_ARG_VALUE",
                "options",
                options,
                # Node's text, typo included
                "can not set readableAll or writableAllt to true when path is abstract unix socket",
            )
        return ListenRequest(
            cb,
            path=path,
            backlog=_backlog(options.get("backlog") or backlog_from_args),
            readable_all=readable_all is True,
            writable_all=writable_all is True,
        )
    if "port" not in options and "path" not in options:
        raise make_error(
            "ERR_INVALID_ARG_VALUE",
            "options",
            options,
            'must have the property "port" or "path"',
        )
    raise make_error("ERR_INVALID_ARG_VALUE", "options", options)


def _merge_keywords(args: tuple[Any, ...], keywords: dict[str, Any]) -> tuple[Any, ...]:
    """``listen(port=0, host='::1')`` is ``listen({'port': 0, 'host': '::1'})``; keywords
    also complete an options dict or a port given positionally."""
    if not args or callable(args[0]):
        return (keywords, *args)
    if isinstance(args[0], dict):
        return ({**args[0], **keywords}, *args[1:])
    if isinstance(args[0], (int, float)) and not isinstance(args[0], bool):
        return ({"port": args[0], **keywords}, *args[1:])
    if isinstance(args[0], str) and "path" not in keywords and "port" not in keywords:
        key = "path" if is_pipe_name(args[0]) else "port"
        return ({key: args[0], **keywords}, *args[1:])
    return args


def _backlog(value: object) -> int:
    """Node passes ``backlog || 511`` to libuv as an Int32 (``value | 0``: NaN, infinities
    and what is no number are 0, a string is read as ``Number()`` reads it)."""
    return to_int32(value) if js_truthy(value) else 511
