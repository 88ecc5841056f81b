# ruff: noqa: E501, B023 - one line per case, as in the .js half; each lambda runs at once
"""net.BlockList: rules and their texts, IPv4-mapped matching, ranges across families, CIDR
helpers, removal, toJSON/fromJSON and every validation error (class kind, code, message)."""

import json
import math

from _parity import fmt, log

import twnet as net


def kind(err):
    if isinstance(err, ValueError):
        return "RangeError"
    return "TypeError" if isinstance(err, TypeError) else "Error"


def show(v):
    if isinstance(v, (list, tuple)):
        return "[" + " | ".join(fmt(show(x)) for x in v) + "]"
    return v


def t(what, fn):
    try:
        log(what, show(fn()))
    except Exception as err:
        log(what, kind(err), err)


def sorted_rules(b):
    # Node lists address rules in its hash table's order: sort when there are several.
    return sorted(b.rules)


b = net.BlockList()
b.addAddress("1.2.3.4")
b.addRange("10.0.0.1", "10.0.0.10")
b.addRange("2001:db8::1", "2001:db8::ff", "ipv6")
b.addSubnet("192.168.1.0", 24)
b.addSubnet("192.168.1.77", 24)
b.addSubnet("8592:757c:efae:4e45::", 64, "IPv6")
b.addCIDR("172.16.0.0/12")
b.addCIDR("fc00::/7")
t("rules", lambda: b.rules)
t("size", lambda: b.size)
t("toJSON", lambda: b.toJSON())
for a, *f in [
    ["1.2.3.4"], ["1.2.3.4", "ipv6"], ["::ffff:1.2.3.4", "ipv6"],
    ["::ffff:0102:0304", "ipv6"], ["::ffff:10.0.0.5", "ipv6"], ["10.0.0.5"], ["10.0.0.11"],
    ["192.168.1.200"], ["::ffff:192.168.1.200", "ipv6"], ["2001:db8::80", "ipv6"],
    ["8592:757c:efae:4e45::99", "ipv6"], ["nonsense"], ["nonsense", "ipv6"], ["1.2.3.4", "IPV4"],
    ["1.2.3.4", "foo"], ["::ffff:1.2.3.4", "ipv4"], ["fd00::1", "ipv6"], ["::1.2.3.4", "ipv6"],
    ["1.2.3.4%eth0"], ["2001:db8::1%eth0", "ipv6"], ["01.2.3.4"], ["172.31.255.255"], ["172.32.0.0"],
]:  # fmt: skip
    t(f"check {a} {f[0] if f else 'undefined'}", lambda: b.check(a, *f))
t("check SocketAddress with port", lambda: b.check(net.SocketAddress(address="1.2.3.4", port=99)))
t(
    "check mapped SocketAddress",
    lambda: b.check(net.SocketAddress(address="::ffff:1.2.3.4", family="ipv6"), "ipv4"),
)


def mapped_rules():
    v6 = net.BlockList()
    v6.addAddress("::ffff:9.9.9.9", "ipv6")
    v6.addSubnet("::ffff:8.0.0.0", 104, "ipv6")
    return [*v6.rules, v6.check("9.9.9.9"), v6.check("8.1.2.3"), v6.check("::ffff:9.9.9.9", "ipv6")]


t("mapped rules", mapped_rules)


def mapped_range():
    r = net.BlockList()
    r.addRange("::ffff:1.1.1.1", "::ffff:1.1.1.9", "ipv6")
    r4 = net.BlockList()
    r4.addRange("1.1.1.1", "1.1.1.9")
    return [r.check("1.1.1.5"), r4.check("::ffff:1.1.1.5", "ipv6"), r4.check("::1.1.1.5", "ipv6")]


t("mapped range", mapped_range)


def sub(net_, prefix, fam, *checks):
    def run():
        s = net.BlockList()
        s.addSubnet(net_, prefix, fam)
        return [*s.rules, *(s.check(*c) for c in checks)]

    return run


t("prefix 32", sub("1.2.3.4", 32, "ipv4", ["1.2.3.4"], ["5.6.7.8"], ["::ffff:1.2.3.4", "ipv6"], ["::ffff:1.2.3.5", "ipv6"]))  # fmt: skip
t("prefix 0", sub("1.2.3.4", 0, "ipv4", ["1.2.3.4"], ["255.6.7.8"], ["::ffff:9.9.9.9", "ipv6"], ["::1", "ipv6"]))  # fmt: skip
t("prefix 31", sub("1.2.3.4", 31, "ipv4", ["1.2.3.5"], ["1.2.3.6"], ["::ffff:1.2.3.5", "ipv6"]))
t("prefix v6 0", sub("::", 0, "ipv6", ["1.2.3.4"], ["::1", "ipv6"]))
t("prefix v6 128", sub("::ffff:1.2.3.4", 128, "ipv6", ["1.2.3.4"], ["1.2.3.5"]))
t("prefix v6 96", sub("::ffff:0.0.0.0", 96, "ipv6", ["1.2.3.4"], ["::1", "ipv6"]))
t("prefix v6 100", sub("::ffff:16.0.0.0", 100, "ipv6", ["16.2.3.4"], ["31.2.3.4"], ["32.0.0.0"]))
t("v4 subnet mapped", sub("10.0.0.0", 8, "ipv4", ["::ffff:10.2.3.4", "ipv6"], ["::ffff:11.2.3.4", "ipv6"], ["::10.2.3.4", "ipv6"]))  # fmt: skip
t("subnet not normalized", sub("10.1.2.3", 8, "ipv4", ["10.9.9.9"]))
t("subnet -0", sub("10.1.2.3", -0.0, "ipv4"))
t(
    "subnet SocketAddress v6 prefix",
    sub(net.SocketAddress(address="::", family="ipv6"), 100, "ipv4"),
)


def V4(address):
    return net.SocketAddress(address=address)


def V6(address):
    return net.SocketAddress(address=address, family="ipv6")


def range_rule(start, end, *checks):
    def run():
        r = net.BlockList()
        r.addRange(start, end)
        return [*r.rules, *(r.check(*c) for c in checks)]

    return run


t("range v4 to mapped", range_rule(V4("1.1.1.1"), V6("::ffff:1.1.1.9"), ["1.1.1.5"], ["::ffff:1.1.1.5", "ipv6"], ["::1", "ipv6"]))  # fmt: skip
t("range v4 to v6", range_rule(V4("1.1.1.1"), V6("::1"), ["1.1.1.5"]))
t("range v6 to v4", range_rule(V6("::1"), V4("1.1.1.9"), ["1.1.1.5"], ["::5", "ipv6"]))
t("range equal ends", range_rule("10.0.0.1", "10.0.0.1"))


def fresh(fn):
    return lambda: fn(net.BlockList())


def then(*steps):
    """Run each step in turn (statements, as a JS arrow function's body); the last value."""
    return steps[-1]


t("range reversed", fresh(lambda x: x.addRange("10.0.0.10", "10.0.0.1")))
t("range v6 reversed", fresh(lambda x: x.addRange("::2", "::1", "ipv6")))
t("bad address", fresh(lambda x: x.addAddress("nope")))
t("v4 text as ipv6", fresh(lambda x: x.addAddress("1.2.3.4", "ipv6")))
t("bad family", fresh(lambda x: x.addAddress("1.2.3.4", "ipv5")))
t("family upper case", fresh(lambda x: then(x.addAddress("1.2.3.4", "IPV4"), x.rules)))
t("address number", fresh(lambda x: x.addAddress(5)))
t("family number", fresh(lambda x: x.addAddress("1.2.3.4", 4)))
t("family null", fresh(lambda x: x.addAddress("1.2.3.4", None)))
t("subnet 33", fresh(lambda x: x.addSubnet("1.2.3.4", 33)))
t("subnet -1", fresh(lambda x: x.addSubnet("1.2.3.4", -1)))
t("subnet 1.5", fresh(lambda x: x.addSubnet("1.2.3.4", 1.5)))
t("subnet string prefix", fresh(lambda x: x.addSubnet("1.2.3.4", "8")))
t("subnet NaN", fresh(lambda x: x.addSubnet("1.2.3.4", math.nan)))
t("subnet v6 129", fresh(lambda x: x.addSubnet("::", 129, "ipv6")))
t("subnet v4 64", fresh(lambda x: x.addSubnet("1.2.3.4", 64)))
t("subnet bad network", fresh(lambda x: x.addSubnet("x", 8)))
t("subnet network number", fresh(lambda x: x.addSubnet(5, 8)))
t("range start number", fresh(lambda x: x.addRange(5, "1.1.1.1")))
t("range end number", fresh(lambda x: x.addRange("1.1.1.1", 5)))
t("check number", fresh(lambda x: x.check(5)))
t("check family number", fresh(lambda x: x.check("1.2.3.4", 4)))
t("check object", fresh(lambda x: x.check({"address": "1.2.3.4"})))
t("cidr without prefix", fresh(lambda x: x.addCIDR("1.2.3.4")))
t("cidr prefix 08", fresh(lambda x: x.addCIDR("1.2.3.4/08")))
t("cidr prefix +8", fresh(lambda x: x.addCIDR("1.2.3.4/+8")))
t("cidr prefix -0", fresh(lambda x: x.addCIDR("1.2.3.4/-0")))
t("cidr prefix -5", fresh(lambda x: x.addCIDR("1.2.3.4/-5")))
t("cidr prefix huge", fresh(lambda x: x.addCIDR("1.2.3.4/123456789012345678901234")))
t("cidr prefix 33", fresh(lambda x: x.addCIDR("1.2.3.4/33")))
t("cidr bad address", fresh(lambda x: x.addCIDR("x/8")))
t("cidr number", fresh(lambda x: x.addCIDR(5)))
t(
    "cidr v6",
    fresh(lambda x: then(x.addCIDR("2001:db8::/32"), [*x.rules, x.check("2001:db8:1::1", "ipv6")])),
)
t("cidrs not a list", fresh(lambda x: x.addCIDRs("1.2.3.0/24")))
t("cidrs bad item", fresh(lambda x: x.addCIDRs(["1.2.3.0/24", 5])))


def failing(x, fn, result):
    try:
        fn()
    except Exception as e:
        return result(e)
    return None


t(
    "cidrs bad prefix adds nothing",
    fresh(lambda x: failing(x, lambda: x.addCIDRs(["1.2.3.0/24", "1.2.3.4"]), lambda e: [e.code, x.size])),
)  # fmt: skip
t(
    "cidrs bad address adds the first",
    fresh(lambda x: failing(x, lambda: x.addCIDRs(["1.2.3.0/24", "x/4"]), lambda e: [e.code, *x.rules])),
)  # fmt: skip
t(
    "private ranges",
    fresh(
        lambda x: then(
            x.addCIDRs(net.BlockList.PRIVATE_RANGES),
            [
                *net.BlockList.PRIVATE_RANGES,
                x.size,
                x.check("10.0.0.1"),
                x.check("127.0.0.1"),
                x.check("8.8.8.8"),
                x.check("fe80::1", "ipv6"),
                x.check("::ffff:192.168.0.1", "ipv6"),
            ],
        )
    ),
)
t("addresses", fresh(lambda x: then(x.addAddresses(["1.1.1.1", "2.2.2.2"]), [*sorted_rules(x), x.size])))  # fmt: skip
t(
    "addresses v6 and SocketAddress",
    fresh(lambda x: then(x.addAddresses(["::1", V4("3.3.3.3")], "ipv6"), sorted_rules(x))),
)
t(
    "addresses bad adds nothing",
    fresh(lambda x: failing(x, lambda: x.addAddresses(["1.1.1.1", "x"]), lambda e: [e.code, x.size])),
)  # fmt: skip
t(
    "addresses bad type",
    fresh(
        lambda x: failing(
            x,
            lambda: x.addAddresses(["1.1.1.1", 4]),
            lambda e: [kind(e), e.code, e.message.split(" Received")[0], x.size],
        )
    ),
)
t("addresses not a list", fresh(lambda x: x.addAddresses("1.1.1.1")))
t("addresses bad family", fresh(lambda x: x.addAddresses([], 4)))
t(
    "duplicate address across families",
    fresh(
        lambda x: then(
            x.addAddress("1.2.3.4"), x.addAddress("::ffff:1.2.3.4", "ipv6"), [x.size, *x.rules]
        )
    ),
)


def remove(x):
    x.addAddress("1.1.1.1")
    x.addAddress("1.1.1.1")
    x.addRange("1.0.0.0", "1.0.0.5")
    x.addRange("1.0.0.0", "1.0.0.5")
    x.addSubnet("9.0.0.0", 8)
    x.addSubnet("9.0.0.0", 8)
    before = list(x.rules)
    x.removeAddress("1.1.1.1")
    x.removeRange("1.0.0.0", "1.0.0.5")
    x.removeSubnet("9.0.0.0", 8)
    return [*before, "->", *x.rules, x.size, x.check("9.1.1.1"), x.check("1.0.0.3"), x.check("1.1.1.1")]  # fmt: skip


t("remove", fresh(remove))


def remove_same_address(x):
    x.addSubnet("9.1.0.0", 8)
    x.removeSubnet("9.0.0.0", 8)
    r1 = list(x.rules)
    x.removeCIDR("9.1.0.0/8")
    return [*r1, "->", *x.rules]


t("remove subnet needs the same address", fresh(remove_same_address))
t(
    "remove nested subnet",
    fresh(
        lambda x: then(
            x.addSubnet("9.0.0.0", 16),
            x.addSubnet("9.0.0.0", 8),
            x.removeSubnet("9.0.0.0", 8),
            [x.check("9.1.1.1"), x.check("9.0.1.1"), *x.rules],
        )
    ),
)
t(
    "remove subnet other family",
    fresh(
        lambda x: then(
            x.addSubnet("9.0.0.0", 8),
            x.removeSubnet("::ffff:9.0.0.0", 104, "ipv6"),
            [x.check("9.1.1.1"), *x.rules],
        )
    ),
)
t(
    "remove v6 address other spelling",
    fresh(
        lambda x: then(
            x.addAddress("2001:db8::1", "ipv6"), x.removeAddress("2001:0db8:0::1", "ipv6"), x.size
        )
    ),
)
t(
    "remove mapped address",
    fresh(
        lambda x: then(
            x.addAddress("1.2.3.4"),
            x.removeAddress("::ffff:1.2.3.4", "ipv6"),
            [x.size, x.check("1.2.3.4")],
        )
    ),
)
t(
    "remove address with port",
    fresh(
        lambda x: then(
            x.addAddress(net.SocketAddress(address="1.1.1.1", port=5)),
            x.removeAddress("1.1.1.1"),
            x.size,
        )
    ),
)
t(
    "remove range other family",
    fresh(
        lambda x: then(
            x.addRange("1.1.1.1", "1.1.1.9"),
            x.removeRange("::ffff:1.1.1.1", "::ffff:1.1.1.9", "ipv6"),
            x.rules,
        )
    ),
)
t("remove range reversed", fresh(lambda x: then(x.removeRange("1.2.3.4", "1.2.3.1"), x.size)))
t("remove bad address", fresh(lambda x: x.removeAddress("x")))
t("remove bad prefix", fresh(lambda x: x.removeSubnet("1.2.3.4", 40)))
t("remove cidr bad", fresh(lambda x: x.removeCIDR("1.2.3.4")))
t(
    "clear",
    fresh(
        lambda x: then(
            x.addAddress("1.1.1.1"),
            x.addCIDR("1.0.0.0/8"),
            x.clear(),
            [x.size, len(x.rules), x.check("1.1.1.1")],
        )
    ),
)
t(
    "isBlockList",
    lambda: [
        net.BlockList.isBlockList(net.BlockList()),
        net.BlockList.isBlockList({}),
        net.BlockList.isBlockList(None),
        net.BlockList.is_block_list(None),
    ],
)
t(
    "zone",
    fresh(
        lambda x: then(
            x.addAddress("fe80::1%lo", "ipv6"),
            [*x.rules, x.check("fe80::1%lo", "ipv6"), x.check("fe80::1%", "ipv6")],
        )
    ),
)
t(
    "fromJSON",
    fresh(
        lambda x: then(
            x.fromJSON(
                [
                    "Subnet: IPv4 192.168.1.0/24",
                    "Range: IPv4 192.168.2.1-192.168.2.10",
                    "Subnet: IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334/64",
                    "range: ipv6 ::1-::9",
                    "junk",
                    "Address: IPv4 10.0.0.5 and more",
                    "x Address: IPv6 ::5",
                ]
            ),
            sorted_rules(x),
        )
    ),
)
t(
    "fromJSON text",
    fresh(lambda x: then(x.fromJSON(json.dumps(["Address: IPv4 10.0.0.5"])), x.rules)),
)


def round_trip(x):
    x.addAddress("1.1.1.1")
    x.addRange("::1", "::5", "ipv6")
    x.addSubnet("10.0.0.0", 8)
    c = net.BlockList()
    c.fromJSON(x.toJSON())
    return [*x.rules, "->", *c.rules]


t("fromJSON round trip", fresh(round_trip))
t("fromJSON bad address", fresh(lambda x: x.fromJSON(["Address: IPv4 999.1.1.1"])))
t("fromJSON bad prefix", fresh(lambda x: x.fromJSON(["Subnet: IPv4 1.2.3.4/40"])))
t("fromJSON text not a list", fresh(lambda x: x.fromJSON('{"a":1}')))
t("fromJSON number item", fresh(lambda x: x.fromJSON([1])))
t("fromJSON object", fresh(lambda x: x.fromJSON({})))
