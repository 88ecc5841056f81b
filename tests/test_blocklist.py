"""net.BlockList and net.SocketAddress (twnet/_blocklist.py, twnet/_socketaddress.py).

Node's own behaviour is pinned by the parity scenarios ``blocklist`` and ``socketaddress``;
these tests cover the Python side: twins, reprs, keyword forms, what differs from Node, and
matching checked against Python's ``ipaddress`` module.
"""

from __future__ import annotations

import ipaddress
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import twnet as net
from twnet import NodeError


def test_exported_names_and_twins() -> None:
    assert net.Stream is net.Socket
    assert net.net.BlockList is net.BlockList
    b = net.BlockList()
    b.add_address("1.2.3.4")
    b.add_cidrs(["10.0.0.0/8"])
    b.add_subnet("::", 128, "ipv6")
    b.add_range("2.0.0.0", "2.0.0.9")
    assert b.is_block_list(b) and net.BlockList.is_block_list(b)
    assert (
        b.to_json()
        == b.rules
        == [
            "Address: IPv4 1.2.3.4",
            "Subnet: IPv6 ::/128",
            "Subnet: IPv4 10.0.0.0/8",
            "Range: IPv4 2.0.0.0-2.0.0.9",
        ]
    )
    b.remove_cidr("10.0.0.0/8")
    b.remove_range("2.0.0.0", "2.0.0.9")
    b.remove_subnet("::", 128, "ipv6")
    b.remove_address("1.2.3.4")
    assert b.size == 0
    assert net.SocketAddress.is_socket_address(net.SocketAddress())


def test_reprs_are_node_inspect_forms() -> None:
    b = net.BlockList()
    assert repr(b) == "BlockList { rules: [] }"
    b.addAddress("1.2.3.4")
    assert repr(b) == "BlockList { rules: [ 'Address: IPv4 1.2.3.4' ] }"
    address = net.SocketAddress({"address": "::1", "family": "ipv6", "port": 9})
    assert repr(address) == (
        "SocketAddress { address: '::1', port: 9, family: 'ipv6', flowlabel: 0 }"
    )


def test_socket_address_equality_and_keywords() -> None:
    a = net.SocketAddress(address="2001:db8::1", family="IPv6", port=80, flowlabel=7)
    b = net.SocketAddress(
        {"address": "2001:0db8:0::1", "family": "ipv6", "port": "80", "flowlabel": 7}
    )
    assert a == b and hash(a) == hash(b)
    assert a != net.SocketAddress(address="2001:db8::1", family="ipv6", port=81)
    assert a.toJSON() == {"address": "2001:db8::1", "port": 80, "family": "ipv6", "flowlabel": 7}
    assert (a == "x") is False


def test_flowlabel_over_20_bits_is_refused() -> None:
    # Node 24 aborts the process here (a failed C++ assertion); twnet raises instead.
    with pytest.raises(NodeError) as info:
        net.SocketAddress(family="ipv6", flowlabel=0x100000)
    assert info.value.code == "ERR_OUT_OF_RANGE"
    assert isinstance(info.value, ValueError)
    assert "<= 1048575" in str(info.value)


def test_private_ranges_cannot_change() -> None:
    with pytest.raises(TypeError):
        net.BlockList.PRIVATE_RANGES[0] = "0.0.0.0/0"  # type: ignore[index]


def test_from_json_rejects_bad_json_text() -> None:
    b = net.BlockList()
    with pytest.raises(NodeError) as bad:
        b.fromJSON("nope")  # Node: a SyntaxError from JSON.parse, which has no code
    assert isinstance(bad.value, ValueError) and bad.value.code == ""
    assert isinstance(bad.value.__cause__, json.JSONDecodeError)
    with pytest.raises(NodeError) as info:
        b.fromJSON("[1]")
    assert info.value.code == "ERR_INVALID_ARG_TYPE"
    assert b.size == 0


def test_what_node_reads_as_c_strings_and_js_numbers() -> None:
    b = net.BlockList()
    b.addRange("127.0.0.1\0x", "127.0.0.9")  # Node hands libuv a C string: it ends at the NUL
    assert b.rules == ["Range: IPv4 127.0.0.1-127.0.0.9"]
    assert b.check("127.0.0.5\0junk")
    with pytest.raises(NodeError) as info:  # String(parseInt(p)) is '9223372036854776000'
        b.addCIDR("[::1]/9223372036854775808")
    assert info.value.code == "ERR_INVALID_ARG_VALUE"
    assert net.SocketAddress.parse("\ud800x") is None  # U+FFFD: no host
    assert net.SocketAddress.parse("1.2.3.4:80\ud800") is None


def test_add_address_error_leaves_list_unchanged() -> None:
    b = net.BlockList()
    b.addAddress("1.1.1.1")
    bad_calls = [
        lambda: b.addAddress("1.1.1"),
        lambda: b.addRange("1.1.1.9", "1.1.1.1"),
        lambda: b.addSubnet("1.1.1.1", 33),
        lambda: b.addAddresses(["2.2.2.2", "::1"]),
    ]
    for bad in bad_calls:
        with pytest.raises(NodeError):
            bad()
    assert b.rules == ["Address: IPv4 1.1.1.1"]


def test_newest_address_rule_listed_first() -> None:
    b = net.BlockList()
    b.addAddresses(["1.1.1.1", "2.2.2.2", "3.3.3.3"])
    b.addAddress("1.1.1.1")
    assert b.rules == ["Address: IPv4 1.1.1.1", "Address: IPv4 3.3.3.3", "Address: IPv4 2.2.2.2"]


def test_check_accepts_tuples_as_lists() -> None:
    b = net.BlockList()
    b.addCIDRs(("192.168.0.0/16",))
    assert b.check("192.168.7.7") and not b.check("192.169.0.1")


_V4 = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
_V6 = st.integers(0, 2**128 - 1).map(lambda n: ipaddress.IPv6Address(n).compressed)


@given(network=_V4, prefix=st.integers(0, 32), probe=_V4)
def test_ipv4_subnets_agree_with_ipaddress(network: str, prefix: int, probe: str) -> None:
    b = net.BlockList()
    b.addSubnet(network, prefix)
    inside = ipaddress.IPv4Address(probe) in ipaddress.IPv4Network(
        f"{network}/{prefix}", strict=False
    )
    assert b.check(probe) is inside
    assert b.check(f"::ffff:{probe}", "ipv6") is inside


@given(network=_V6, prefix=st.integers(0, 128), probe=_V6)
def test_ipv6_subnets_agree_with_ipaddress(network: str, prefix: int, probe: str) -> None:
    b = net.BlockList()
    b.addSubnet(network, prefix, "ipv6")
    inside = ipaddress.IPv6Address(probe) in ipaddress.IPv6Network(
        f"{network}/{prefix}", strict=False
    )
    assert b.check(probe, "ipv6") is inside


@given(a=_V4, z=_V4, probe=_V4)
def test_ipv4_ranges_agree_with_ipaddress(a: str, z: str, probe: str) -> None:
    low, high = sorted((a, z), key=ipaddress.IPv4Address)
    b = net.BlockList()
    b.addRange(low, high)
    expected = (
        ipaddress.IPv4Address(low) <= ipaddress.IPv4Address(probe) <= ipaddress.IPv4Address(high)
    )
    assert b.check(probe) is expected
    assert b.check("::ffff:" + probe, "ipv6") is expected


@given(text=_V6)
def test_ipv6_text_round_trips_as_the_c_library_prints_it(text: str) -> None:
    address = net.SocketAddress(address=text.upper(), family="ipv6")
    assert ipaddress.IPv6Address(address.address) == ipaddress.IPv6Address(text)
