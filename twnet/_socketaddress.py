"""``net.SocketAddress``: an IP address, port, family and IPv6 flow label, as Node 24 has it.

Addresses are parsed and printed as libuv does (``uv_inet_pton`` / ``uv_inet_ntop``, the same
BIND-derived rules as the C library's ``inet_pton`` / ``inet_ntop``: dotted quads without
leading zeros; an IPv6 zone after ``%`` is accepted and dropped). No Twisted here.
"""

from __future__ import annotations

import math
import socket as _pysocket
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twnet._errors import NodeError, invalid_arg_type, make_error
from twnet._naming import add_snake_twins
from twnet._naming import options as camel_options
from twnet._validators import validate_object, validate_port

__all__ = ["SocketAddress", "format_ip", "parse_ip"]

#: The largest IPv6 flow label (20 bits).
_MAX_FLOWLABEL = 0xFFFFF
#: ``UV__INET6_ADDRSTRLEN``: libuv refuses a longer IPv6 text before its zone.
_INET6_ADDRSTRLEN = 46


def parse_ip(text: str, family: int) -> bytes | None:
    """The packed address (4 or 16 bytes) of *text* read as IPv*family*, or None when it is
    not one (``uv_inet_pton``)."""
    text = text.partition("\0")[0]  # Node hands libuv a C string: it ends at a NUL
    try:
        if family == 4:
            return _pysocket.inet_pton(_pysocket.AF_INET, text)
        zone = text.find("%")
        if zone >= 0:
            if zone > _INET6_ADDRSTRLEN - 1:
                return None
            text = text[:zone]
        return _pysocket.inet_pton(_pysocket.AF_INET6, text)
    except (OSError, ValueError, UnicodeError):
        return None


def format_ip(packed: bytes) -> str:
    """The text of a packed address as libuv prints it (``::ffff:1.2.3.4``, ``2001:db8::1``)."""
    family = _pysocket.AF_INET if len(packed) == 4 else _pysocket.AF_INET6
    return _pysocket.inet_ntop(family, packed)


@add_snake_twins
class SocketAddress:
    """Node's ``net.SocketAddress``: ``SocketAddress({'address': '::1', 'family': 'ipv6',
    'port': 80, 'flowlabel': 0})`` (or keyword arguments).

    ``family`` is ``'ipv4'`` (the default) or ``'ipv6'``, in any case; ``address`` defaults to
    ``'127.0.0.1'`` when ``family`` is exactly ``'ipv4'`` and to ``'::'`` otherwise (so, as
    in Node, ``{'family': 'IPv4'}`` alone is an invalid address); ``port`` is validated as
    Node's ``validatePort`` (numeric strings allowed); ``flowlabel`` is kept for IPv6 only.
    Differences: a flow label above 20 bits raises ``ERR_OUT_OF_RANGE`` where Node 24 aborts
    the process; an IPv6 zone (``fe80::1%eth0``) is dropped, as in Node's ``address``, but
    not kept as a scope id.
    """

    __slots__ = ("_address", "_family", "_flowlabel", "_packed", "_port")

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        if options is not None:
            # Node's validateObject: a Buffer or any other object passes (its properties are
            # read: one that is not a mapping has none of the options).
            validate_object(options, "options")
            if not isinstance(options, Mapping):
                options = None
        opts = camel_options(options, **kwargs)
        family = opts.get("family", "ipv4")
        address = opts.get("address", "127.0.0.1" if family == "ipv4" else "::")
        port = opts.get("port", 0)
        flowlabel = opts.get("flowlabel", 0)
        kind = family.lower() if isinstance(family, str) else family
        if kind not in ("ipv4", "ipv6"):
            raise make_error("ERR_INVALID_ARG_VALUE", "options.family", family)
        if not isinstance(address, str):
            raise invalid_arg_type("options.address", "string", address)
        number = validate_port(port, "options.port")
        _validate_uint32(flowlabel, "options.flowlabel")
        if flowlabel > _MAX_FLOWLABEL:
            raise make_error(
                "ERR_OUT_OF_RANGE", "options.flowlabel", f">= 0 && <= {_MAX_FLOWLABEL}", flowlabel
            )
        packed = parse_ip(address, 4 if kind == "ipv4" else 6)
        if packed is None:
            raise make_error("ERR_INVALID_ADDRESS")
        self._packed = packed
        self._address = format_ip(packed)
        self._family = kind
        self._port = number
        self._flowlabel = int(flowlabel) if kind == "ipv6" else 0

    @staticmethod
    def isSocketAddress(value: object) -> bool:
        """Whether *value* is a ``SocketAddress``."""
        return isinstance(value, SocketAddress)

    @staticmethod
    def parse(input: str) -> SocketAddress | None:
        """Node's ``SocketAddress.parse('1.2.3.4:8080')`` / ``('[::1]:8080')``: the address
        read as the host and port of an ``http://`` URL (WHATWG rules: ``1.2``,
        ``0x01.2.3.4``, percent-escapes and a user part are accepted; port 80, the default,
        reads as 0), or None when that is not an IP address and port."""
        if not isinstance(input, str):
            raise invalid_arg_type("input", "string", input)
        found = _url_host_port(input)
        if found is None:
            return None
        host, port = found
        try:
            if host.startswith("[") and host.endswith("]"):
                return SocketAddress(address=host[1:-1], port=port, family="ipv6")
            return SocketAddress(address=host, port=port)
        except NodeError:
            return None

    @property
    def address(self) -> str:
        """The address as libuv prints it (``'2001:db8::1'``, ``'::ffff:1.2.3.4'``)."""
        return self._address

    @property
    def port(self) -> int:
        """The port (0 when none was given)."""
        return self._port

    @property
    def family(self) -> str:
        """``'ipv4'`` or ``'ipv6'`` (lower case, as Node writes it here)."""
        return self._family

    @property
    def flowlabel(self) -> int:
        """The IPv6 flow label (always 0 for IPv4)."""
        return self._flowlabel

    def toJSON(self) -> dict[str, Any]:
        """``{'address', 'port', 'family', 'flowlabel'}``."""
        return {
            "address": self._address,
            "port": self._port,
            "family": self._family,
            "flowlabel": self._flowlabel,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SocketAddress):
            return NotImplemented
        return self.toJSON() == other.toJSON()

    def __hash__(self) -> int:
        return hash((self._packed, self._port, self._flowlabel))

    def __repr__(self) -> str:
        # Node's util.inspect form, which its error messages quote.
        return (
            f"SocketAddress {{ address: '{self._address}', port: {self._port}, "
            f"family: '{self._family}', flowlabel: {self._flowlabel} }}"
        )

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        is_socket_address = isSocketAddress
        to_json = toJSON


def _validate_uint32(value: object, name: str) -> None:
    """Node's ``validateUint32``: a number, an integer, 0 <= value <= 2**32 - 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid_arg_type(name, "number", value)
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise make_error("ERR_OUT_OF_RANGE", name, "an integer", value)
    if not 0 <= value <= 0xFFFFFFFF:
        raise make_error("ERR_OUT_OF_RANGE", name, ">= 0 && <= 4294967295", value)


# -- SocketAddress.parse: the host and port of `http://${input}` (WHATWG URL) ------------------

_AUTHORITY_END = "/?#\\"
_FORBIDDEN_HOST = set("\0\t\n\r #/:<>?@[\\]^|%")


def _url_host_port(text: str) -> tuple[str, int] | None:
    """``(host, port)`` of ``http://`` + *text*, host serialized as WHATWG serializes it
    (an IPv4 address in dotted form, IPv6 in brackets); None when the URL is invalid or its
    host is a domain (which no SocketAddress accepts)."""
    # JavaScript's UTF-8 of a lone surrogate is U+FFFD (which no IP address holds).
    text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    # The URL starts with "http://": only its end is stripped of C0 controls and spaces.
    text = text.rstrip("".join(map(chr, range(0x21))))
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    end = min((i for i in map(text.find, _AUTHORITY_END) if i >= 0), default=len(text))
    authority = text[:end].rpartition("@")[2]
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return None
        host, rest = authority[: close + 1], authority[close + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:]
        packed = parse_ip(host[1:-1], 6) if "%" not in host else None
        if packed is None:
            return None
        host = "[" + format_ip(packed) + "]"
    else:
        host, _, port_text = authority.partition(":")
        dotted = _url_ipv4(host)
        if dotted is None:
            return None
        host = dotted
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        return None
    port = int(port_text) if port_text else 0
    if port > 0xFFFF:
        return None
    return host, 0 if port == 80 else port


def _percent_decode(text: str) -> str:
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25 and _is_hex(raw[i + 1 : i + 3]):
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "replace")


def _is_hex(pair: bytes) -> bool:
    return len(pair) == 2 and all(c in b"0123456789abcdefABCDEF" for c in pair)


def _url_ipv4(host: str) -> str | None:
    """A WHATWG host that is an IPv4 address, in dotted form; None for anything else."""
    if not host:
        return None
    host = unicodedata.normalize("NFKC", _percent_decode(host)).lower()
    if any(c in _FORBIDDEN_HOST for c in host) or not host.isascii():
        return None
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if _url_ipv4_number(parts[-1]) is None:
        return None  # does not end in a number: a domain
    if len(parts) > 4:
        return None
    numbers = [_url_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    total = values[-1]
    for i, n in enumerate(values[:-1]):
        total += n * 256 ** (3 - i)
    return format_ip(total.to_bytes(4, "big"))


def _url_ipv4_number(part: str) -> int | None:
    if part == "":
        return None
    base = 10
    if part[:2] in ("0x", "0X"):
        part, base = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    if part == "":
        return 0
    digits = "0123456789abcdef"[:base]
    if not all(c in digits for c in part.lower()):
        return None
    return int(part, base)
