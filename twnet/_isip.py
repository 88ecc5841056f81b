"""``net.isIP``, ``net.isIPv4`` and ``net.isIPv6``, answering exactly as Node.js 24 does.

Node decides with two regular expressions (``lib/internal/net.js``), not with an address
parser, so its answers differ from Python's :mod:`ipaddress` in several places:

* IPv4 is strictly dotted-quad: four decimal octets ``0``-``255``, no leading zeros
  (``01.2.3.4`` is not an address), no shorthand forms (``127.1``), no trailing dot.
* IPv6 is the usual RFC 4291 text form: eight groups of one to four hex digits (either
  case), or fewer with exactly one ``::`` standing for at least one zero group; the last
  two groups may be written as a dotted quad (``::ffff:127.0.0.1``, ``1:2:3:4:5:6:1.2.3.4``).
* Any IPv6 form may carry a zone id: ``%`` followed by one or more ASCII letters, digits,
  ``-``, ``.`` or ``:`` (``fe80::1%eth0``, ``fe80::1%1``, ``::1%a:b``). A zone id is never
  accepted on IPv4 (``1.2.3.4%1`` is not an address), and ``fe80::1%`` is rejected.
* Nothing else is tolerated: no surrounding or embedded whitespace (a trailing newline
  included), no brackets (``[::1]``), no prefix length (``::1/128``), only ASCII digits.

Node first turns a non-string argument into a string (as ``${input}`` would) and tests that.
For Python values this module does the equivalent:

* ``str`` (and subclasses): tested as is.
* ``None`` (JavaScript ``null`` -> ``'null'``), ``bool`` (``'true'``/``'false'``), ``int``
  and ``float`` (a JavaScript number's string never holds a ``:`` or three dots): never an
  address, the answer is 0 without building any string.
* ``bytes``, ``bytearray``, ``memoryview``: treated as a Node ``Buffer``, whose string is
  its UTF-8 decoding, so ``b'127.0.0.1'`` is an IPv4 address. Bytes that are not ASCII can
  only decode to something that is not an address.
* ``list`` and ``tuple``: treated as a JavaScript array, whose string is its elements
  joined with ``','`` (``None`` elements and cycles give ``''``). So a one-element list
  answers as its element does (Node's ``isIP(['::1'])`` is 6), and any other length is
  never an address.
* Anything else: ``str(input)``, Python's counterpart of JavaScript's ``toString()``, so an
  :class:`ipaddress.IPv4Address` or :class:`ipaddress.IPv6Address` is recognised. An
  exception raised by ``__str__`` propagates, as one thrown by ``toString()`` does in Node.
"""

from __future__ import annotations

import re

__all__ = ["isIP", "isIPv4", "isIPv6"]


def _build_ipv4() -> str:
    # One octet: 0-255 in decimal, without leading zeros.
    octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
    return rf"(?:{octet}\.){{3}}{octet}"


def _build_ipv6(ipv4: str) -> str:
    group = "[0-9A-Fa-f]{1,4}"
    forms = [
        # Eight groups, nothing compressed.
        rf"(?:{group}:){{7}}{group}",
        # Six groups and a dotted quad in place of the last two.
        rf"(?:{group}:){{6}}{ipv4}",
    ]
    # One "::" standing for at least one zero group: `before` groups ahead of it and
    # `after` groups (a dotted quad counting as two) behind it, before + after <= 7.
    for before in range(8):
        head = "" if before == 0 else rf"(?:{group}:){{{before - 1}}}{group}"
        tails = [""]
        if before <= 6:
            tails.append(rf"{group}(?::{group}){{0,{6 - before}}}")
        if before <= 5:
            tails.append(rf"(?:{group}:){{0,{5 - before}}}{ipv4}")
        forms.append(f"{head}::(?:{'|'.join(tails)})")
    zone = r"(?:%[0-9A-Za-z.:\-]+)?"
    return f"(?:{'|'.join(forms)}){zone}"


_IPV4_STR = _build_ipv4()
# fullmatch, never "$": Python's "$" also matches before a trailing newline, JavaScript's
# (without the m flag) does not.
_IPV4 = re.compile(_IPV4_STR).fullmatch
_IPV6 = re.compile(_build_ipv6(_IPV4_STR)).fullmatch


def _as_js_string(value: object) -> str | None:
    """The string Node would test for a non-``str`` value, or None if it can't be an IP."""
    seen: set[int] = set()
    # A JavaScript array's string is its elements joined with ",": an array of one element
    # reads as that element, anything longer holds a comma, and null or a cycle reads "".
    while isinstance(value, (list, tuple)):
        if len(value) != 1 or id(value) in seen:
            return None
        seen.add(id(value))
        value = value[0]
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("ascii")
        except UnicodeDecodeError:
            return None
    return str(value)


def isIPv4(input: object) -> bool:
    """Whether ``input`` is an IPv4 address in Node's dotted-quad form (``net.isIPv4``).

    Four decimal octets 0-255 separated by dots, without leading zeros, whitespace or a
    zone id. Non-string input is converted first, as described in the module docstring.
    """
    s = input if type(input) is str else _as_js_string(input)
    return s is not None and _IPV4(s) is not None


def isIPv6(input: object) -> bool:
    """Whether ``input`` is an IPv6 address as Node accepts it (``net.isIPv6``).

    RFC 4291 text form (hex groups of either case, one optional ``::``, an optional
    trailing dotted quad), optionally followed by a zone id ``%`` + ``[0-9A-Za-z.:-]+``.
    Non-string input is converted first, as described in the module docstring.
    """
    s = input if type(input) is str else _as_js_string(input)
    return s is not None and ":" in s and _IPV6(s) is not None


def isIP(input: object) -> int:
    """4 if ``input`` is an IPv4 address, 6 if IPv6, else 0, as Node's ``net.isIP``.

    Same grammar as :func:`isIPv4` and :func:`isIPv6`; non-string input is converted first,
    as described in the module docstring.
    """
    s = input if type(input) is str else _as_js_string(input)
    if s is None:
        return 0
    # Every IPv6 form holds a ":" and no IPv4 form does, so one regex decides.
    if ":" in s:
        return 6 if _IPV6(s) is not None else 0
    return 4 if _IPV4(s) is not None else 0
