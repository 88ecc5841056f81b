"""``net.BlockList``: rules that block IP addresses, ranges and subnets, as Node 24 has them.

Matching follows Node's (``src/node_sockaddr.cc``): an IPv4 address and the IPv4-mapped IPv6
address ``::ffff:a.b.c.d`` are the same address for address and subnet rules (an IPv4 subnet
blocks the mapped addresses in it, an IPv6 subnet over ``::ffff:0:0/96`` blocks IPv4
addresses); a range compares an IPv4 and an IPv6 address only when the IPv6 one is
IPv4-mapped. No Twisted here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from twnet._errors import invalid_arg_type, json_syntax_error, make_error
from twnet._naming import add_snake_twins
from twnet._socketaddress import SocketAddress, parse_ip

__all__ = ["BlockList", "block_list_option", "is_blocked"]

_MAPPED = 0xFFFF << 32


def _key(address: SocketAddress) -> int:
    """The address as 128 bits, IPv4 as its IPv4-mapped IPv6 address."""
    value = int.from_bytes(address._packed, "big")
    return value | _MAPPED if len(address._packed) == 4 else value


def _compare(a: SocketAddress, b: SocketAddress) -> int | None:
    """-1, 0 or 1; None when an IPv4 address meets an IPv6 one that is not IPv4-mapped."""
    x, y = int.from_bytes(a._packed, "big"), int.from_bytes(b._packed, "big")
    if len(a._packed) != len(b._packed):
        x, y = _key(a), _key(b)
        if (x >> 32) != 0xFFFF or (y >> 32) != 0xFFFF:
            return None
    return (x > y) - (x < y)


def _in_subnet(address: SocketAddress, network: SocketAddress, prefix: int) -> bool:
    bits = prefix + 96 if len(network._packed) == 4 else prefix
    shift = 128 - bits
    return (_key(address) >> shift) == (_key(network) >> shift)


def _same(a: SocketAddress, b: SocketAddress) -> bool:
    return a._packed == b._packed


def _validate_string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise invalid_arg_type(name, "string", value)
    return value


def _validate_list(value: object, name: str) -> Sequence[Any]:
    if not isinstance(value, (list, tuple)):
        raise invalid_arg_type(name, "Array", value)
    return value


def _validate_prefix(prefix: object, family: str) -> int:
    """Node's ``validateInt32(prefix, 'prefix', 0, 32 or 128)``."""
    if isinstance(prefix, bool) or not isinstance(prefix, (int, float)):
        raise invalid_arg_type("prefix", "number", prefix)
    if isinstance(prefix, float) and not prefix.is_integer():
        raise make_error("ERR_OUT_OF_RANGE", "prefix", "an integer", prefix)
    top = 32 if family == "ipv4" else 128
    if not 0 <= prefix <= top:
        raise make_error("ERR_OUT_OF_RANGE", "prefix", f">= 0 && <= {top}", prefix)
    return int(prefix)


def _address(value: object, family: object, name: str) -> SocketAddress:
    """A SocketAddress as given, or one made of a string and a family."""
    if isinstance(value, SocketAddress):
        return value
    _validate_string(value, name)
    _validate_string(family, "family")
    return SocketAddress(address=value, family=family)


def _parse_cidr(cidr: object) -> tuple[str, int, str]:
    _validate_string(cidr, "cidr")
    assert isinstance(cidr, str)
    address, slash, prefix_text = cidr.rpartition("/")
    if not slash:
        raise make_error(
            "ERR_INVALID_ARG_VALUE",
            "cidr",
            cidr,
            'must contain a prefix length (e.g. "10.0.0.0/8")',
        )
    if not _is_js_integer_text(prefix_text):
        raise make_error(
            "ERR_INVALID_ARG_VALUE", "cidr", cidr, "prefix length must be a valid integer"
        )
    return address, int(prefix_text), "ipv6" if ":" in address else "ipv4"


def _is_js_integer_text(text: str) -> bool:
    """Whether ``String(parseInt(text, 10)) === text`` in JavaScript."""
    if not re.fullmatch(r"-?(?:0|[1-9][0-9]*)", text) or text == "-0":
        return False
    try:
        number = float(int(text))
    except OverflowError:
        return False
    return abs(number) < 1e21 and _js_integer_string(number) == text


def _js_integer_string(number: float) -> str:
    """``String(number)`` for an integral double below 1e21: its shortest round-trip digits,
    then zeros (``2 ** 63`` is ``'9223372036854776000'``)."""
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    if not exponent:  # '123.0'
        return sign + whole
    digits = whole + fraction.rstrip("0")
    return sign + digits + "0" * (len(whole) + int(exponent) - len(digits))


# The rule texts ``fromJSON`` reads back, as Node matches them (anywhere in the string).
_V4 = r"([0-9]{1,3}(?:\.[0-9]{1,3}){3})"
_V6 = r"([0-9a-fA-F:.]{1,45})"
_FROM_JSON_V4 = (
    ("subnet", re.compile(r"Subnet: IPv4 " + _V4 + r"/([0-9]{1,2})")),
    ("address", re.compile(r"Address: IPv4 " + _V4)),
    ("range", re.compile(r"Range: IPv4 " + _V4 + "-" + _V4)),
)
_FROM_JSON_V6 = (
    ("subnet", re.compile(r"Subnet: IPv6 " + _V6 + r"/([0-9]{1,3})", re.IGNORECASE)),
    ("address", re.compile(r"Address: IPv6 " + _V6, re.IGNORECASE)),
    ("range", re.compile(r"Range: IPv6 " + _V6 + "-" + _V6, re.IGNORECASE)),
)


@add_snake_twins
class BlockList:
    """Node's ``net.BlockList``: ``addAddress``, ``addAddresses``, ``addRange``,
    ``addSubnet``, ``addCIDR``, ``addCIDRs``, their ``remove*`` twins, ``check``, ``clear``,
    ``rules``, ``size``, ``toJSON`` / ``fromJSON``, ``BlockList.isBlockList`` and
    ``BlockList.PRIVATE_RANGES``. Give it as the ``blockList`` option of ``connect`` (a
    blocked address fails with ``ERR_IP_BLOCKED``) or ``createServer`` (a blocked peer is
    disconnected at once).

    ``type`` / ``family`` arguments are ``'ipv4'`` (the default) or ``'ipv6'``, in any case.
    ``rules`` lists address rules, then subnets (newest first), then ranges (newest first),
    as Node does; Node orders the address rules among themselves by its hash table, twnet
    newest first.
    """

    __slots__ = ("_addresses", "_ranges", "_subnets")

    #: Private, loopback, link-local and unique-local ranges, for ``addCIDRs``.
    PRIVATE_RANGES: tuple[str, ...] = (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "::1/128",
        "169.254.0.0/16",
        "fe80::/10",
        "fc00::/7",
    )

    def __init__(self) -> None:
        # Keyed by the 128-bit (IPv4-mapped) address: 1.2.3.4 and ::ffff:1.2.3.4 are one rule.
        self._addresses: dict[int, SocketAddress] = {}
        self._subnets: list[tuple[SocketAddress, int]] = []  # newest first
        self._ranges: list[tuple[SocketAddress, SocketAddress]] = []  # newest first

    @staticmethod
    def isBlockList(value: object) -> bool:
        """Whether *value* is a ``BlockList``."""
        return isinstance(value, BlockList)

    # -- adding -------------------------------------------------------------------------------

    def addAddress(self, address: str | SocketAddress, type: str = "ipv4") -> None:
        """Block one address."""
        self._put(_address(address, type, "address"))

    def addAddresses(
        self,
        addresses: Sequence[str | SocketAddress],
        type: str = "ipv4",
    ) -> None:
        """Block several addresses; nothing is added when one of them is invalid."""
        _validate_list(addresses, "addresses")
        _validate_string(type, "family")
        found = [_address(a, type, f"addresses[{i}]") for i, a in enumerate(addresses)]
        for address in found:
            self._put(address)

    def _put(self, address: SocketAddress) -> None:
        key = _key(address)
        self._addresses.pop(key, None)
        self._addresses[key] = address

    def addRange(
        self,
        start: str | SocketAddress,
        end: str | SocketAddress,
        type: str = "ipv4",
    ) -> None:
        """Block the addresses from *start* to *end*, both included (``ERR_INVALID_ARG_VALUE``
        when *start* comes after *end*)."""
        first = _address(start, type, "start")
        last = _address(end, type, "end")
        if _compare(first, last) == 1:
            raise make_error("ERR_INVALID_ARG_VALUE", "start", first, "must come before end")
        self._ranges.insert(0, (first, last))

    def addSubnet(
        self,
        net: str | SocketAddress,
        prefix: int,
        type: str = "ipv4",
    ) -> None:
        """Block the *prefix*-bit subnet of *net* (0-32 for IPv4, 0-128 for IPv6)."""
        network = _address(net, type, "network")
        bits = _validate_prefix(prefix, network.family)
        self._subnets.insert(0, (network, bits))

    def addCIDR(self, cidr: str) -> None:
        """Block a subnet written ``'10.0.0.0/8'`` or ``'2001:db8::/32'``."""
        address, prefix, family = _parse_cidr(cidr)
        self.addSubnet(address, prefix, family)

    def addCIDRs(self, cidrs: Sequence[str]) -> None:
        """``addCIDR`` for each of *cidrs*; every text is checked before any is added."""
        _validate_list(cidrs, "cidrs")
        parsed = []
        for i, cidr in enumerate(cidrs):
            _validate_string(cidr, f"cidrs[{i}]")
            parsed.append(_parse_cidr(cidr))
        for address, prefix, family in parsed:
            self.addSubnet(address, prefix, family)

    # -- removing -----------------------------------------------------------------------------

    def removeAddress(self, address: str | SocketAddress, type: str = "ipv4") -> None:
        """Remove an address rule (an IPv4 address and its IPv4-mapped form are one)."""
        self._addresses.pop(_key(_address(address, type, "address")), None)

    def removeRange(
        self,
        start: str | SocketAddress,
        end: str | SocketAddress,
        type: str = "ipv4",
    ) -> None:
        """Remove one range rule with exactly these ends (same family); else nothing."""
        first = _address(start, type, "start")
        last = _address(end, type, "end")
        for i, (a, b) in enumerate(self._ranges):
            if _same(a, first) and _same(b, last):
                del self._ranges[i]
                return

    def removeSubnet(
        self,
        net: str | SocketAddress,
        prefix: int,
        type: str = "ipv4",
    ) -> None:
        """Remove one subnet rule with exactly this address and prefix; else nothing."""
        network = _address(net, type, "network")
        bits = _validate_prefix(prefix, network.family)
        for i, (a, p) in enumerate(self._subnets):
            if p == bits and _same(a, network):
                del self._subnets[i]
                return

    def removeCIDR(self, cidr: str) -> None:
        """Remove a subnet rule written in CIDR notation."""
        address, prefix, family = _parse_cidr(cidr)
        self.removeSubnet(address, prefix, family)

    def clear(self) -> None:
        """Remove every rule."""
        self._addresses.clear()
        self._subnets.clear()
        self._ranges.clear()

    # -- checking -----------------------------------------------------------------------------

    def check(self, address: str | SocketAddress, type: str = "ipv4") -> bool:
        """Whether *address* matches a rule. A string that is not an address of *type*
        (``'ipv4'``, anything else meaning IPv6) matches nothing."""
        if not isinstance(address, SocketAddress):
            _validate_string(address, "address")
            _validate_string(type, "family")
            packed = parse_ip(address, 4 if type.lower() == "ipv4" else 6)
            if packed is None:
                return False
            family = "ipv4" if len(packed) == 4 else "ipv6"
            address = SocketAddress(address=address, family=family)
        return self._matches(address)

    def _matches(self, address: SocketAddress) -> bool:
        if _key(address) in self._addresses:
            return True
        for network, prefix in self._subnets:
            if _in_subnet(address, network, prefix):
                return True
        for start, end in self._ranges:
            low, high = _compare(address, start), _compare(address, end)
            if low is not None and high is not None and low >= 0 and high <= 0:
                return True
        return False

    # -- listing ------------------------------------------------------------------------------

    @property
    def rules(self) -> list[str]:
        """Every rule as Node writes it: ``'Address: IPv4 1.2.3.4'``,
        ``'Subnet: IPv6 2001:db8::/32'``, ``'Range: IPv4 10.0.0.1-10.0.0.9'``."""
        out = [f"Address: {_family(a)} {a.address}" for a in reversed(self._addresses.values())]
        out += [f"Subnet: {_family(n)} {n.address}/{p}" for n, p in self._subnets]
        out += [f"Range: {_family(s)} {s.address}-{e.address}" for s, e in self._ranges]
        return out

    @property
    def size(self) -> int:
        """The number of rules."""
        return len(self._addresses) + len(self._subnets) + len(self._ranges)

    def toJSON(self) -> list[str]:
        """The rules (:attr:`rules`), as ``fromJSON`` reads them back."""
        return self.rules

    def fromJSON(self, data: str | Sequence[str]) -> None:
        """Add the rules of a ``rules`` list, or of its JSON text. Texts that are no rule
        are skipped, as in Node; an invalid address in a rule raises."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as error:
                # Node: the SyntaxError of JSON.parse (no code).
                raise json_syntax_error(error) from error
        if not isinstance(data, (list, tuple)) or not all(isinstance(x, str) for x in data):
            raise invalid_arg_type("data", ["string", "string[]"], data)
        for item in data:
            self._add_rule_text(item)

    def _add_rule_text(self, item: str) -> None:
        for marker, patterns, family in (
            ("IPv4", _FROM_JSON_V4, "ipv4"),
            ("IPv6", _FROM_JSON_V6, "ipv6"),
        ):
            if marker not in item:
                continue
            for kind, pattern in patterns:
                match = pattern.search(item)
                if match is None:
                    continue
                if kind == "subnet":
                    self.addSubnet(match[1], int(match[2]), family)
                elif kind == "address":
                    self.addAddress(match[1], family)
                else:
                    self.addRange(match[1], match[2], family)
                return

    def __repr__(self) -> str:
        rules = ", ".join(f"'{rule}'" for rule in self.rules)
        return f"BlockList {{ rules: [ {rules} ] }}" if rules else "BlockList { rules: [] }"

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        add_address = addAddress
        add_addresses = addAddresses
        add_cidr = addCIDR
        add_cidrs = addCIDRs
        add_range = addRange
        add_subnet = addSubnet
        from_json = fromJSON
        is_block_list = isBlockList
        remove_address = removeAddress
        remove_cidr = removeCIDR
        remove_range = removeRange
        remove_subnet = removeSubnet
        to_json = toJSON


def block_list_option(value: object) -> BlockList | None:
    """The ``blockList`` option of a Socket or Server: a BlockList, or None when not given
    (any value JavaScript finds false); anything else raises ``ERR_INVALID_ARG_TYPE``."""
    if value is None or value is False or value == 0 or value == "":
        return None
    if not isinstance(value, BlockList):
        raise invalid_arg_type("options.blockList", "net.BlockList", value)
    return value


def is_blocked(block_list: BlockList | None, ip: str, family: int) -> bool:
    """Whether *block_list* blocks *ip* of IP *family* (4 or 6), as Node checks it."""
    return block_list is not None and block_list.check(ip, f"ipv{family}")


def _family(address: SocketAddress) -> str:
    return "IPv4" if address.family == "ipv4" else "IPv6"
