# ruff: noqa: B023 - each lambda runs at once, inside the loop
"""net.SocketAddress: defaults, families in any case, address spellings, port and flowlabel
validation, SocketAddress.parse (WHATWG URL host and port rules), isSocketAddress, toJSON,
and net.Stream being net.Socket."""

import json

from _parity import log

import twnet as net


def kind(err):
    if isinstance(err, ValueError):
        return "RangeError"
    return "TypeError" if isinstance(err, TypeError) else "Error"


def dump(value):
    if isinstance(value, net.SocketAddress):
        value = value.toJSON()
    return json.dumps(value, separators=(",", ":"))


def t(what, fn):
    try:
        r = fn()
        log(what, "undefined" if r is None else dump(r))
    except Exception as err:
        log(what, kind(err), err)


SA = net.SocketAddress
t("default", lambda: SA())
t("undefined options", lambda: SA(None))
t("v6 default", lambda: SA({"family": "ipv6"}))
t(
    "IPv6 spelled",
    lambda: SA({"family": "IPv6", "address": "2001:0db8::0001", "port": 80, "flowlabel": 5}),
)
t("IPv4 spelled: default address is ::", lambda: SA({"family": "IPv4"}))
t("v4 flowlabel dropped", lambda: SA(address="1.2.3.4", flowlabel=5))
t("mapped", lambda: SA(family="ipv6", address="::ffff:1.2.3.4"))
t("compatible", lambda: SA(family="ipv6", address="::1.2.3.4"))
t("zone name", lambda: SA(family="ipv6", address="fe80::1%lo"))
t("zone number", lambda: SA(family="ipv6", address="fe80::1%99"))
t("bad family", lambda: SA(family="ipv5"))
t("family number", lambda: SA(family=4))
t("family null", lambda: SA(family=None))
t("bad address", lambda: SA(address="x"))
t("v6 address as v4", lambda: SA(address="::1"))
t("leading zero", lambda: SA(address="01.2.3.4"))
t("address number", lambda: SA(address=5))
t("address null", lambda: SA(address=None))
t("port string", lambda: SA(port="80"))
t("port float", lambda: SA(port=80.5))
t("port negative", lambda: SA(port=-1))
t("port 65536", lambda: SA(port=65536))
t("port 65535", lambda: SA(port=65535))
t("port bool", lambda: SA(port=True))
t("port null", lambda: SA(port=None))
t("port letters", lambda: SA(port="abc"))
t("port empty", lambda: SA(port=""))
t("flowlabel negative", lambda: SA(family="ipv6", flowlabel=-1))
t("flowlabel string", lambda: SA(family="ipv6", flowlabel="1"))
t("flowlabel 2**32", lambda: SA(family="ipv6", flowlabel=2**32))
t("flowlabel 1.5", lambda: SA(family="ipv6", flowlabel=1.5))
t("flowlabel max", lambda: SA(family="ipv6", flowlabel=0xFFFFF))
t("options string", lambda: SA("1.2.3.4"))
t("options null", lambda: SA(5))  # Python's None is "no options": 5 is refused the same way
t("options array", lambda: SA([]))


def props(s):
    return " ".join(str(x) for x in (s.address, s.port, s.family, s.flowlabel))


t("properties", lambda: props(SA(address="1.2.3.4", port=8)))
t("toJSON", lambda: SA(address="::1", family="ipv6", port=8).to_json())
for text in [
    "1.2.3.4:8080", "1.2.3.4:80", "1.2.3.4", "[::1]:9", "[2001:0db8::1]", "::1",
    "localhost:80", "1.2.3.4:99999", "1.2.3.4:65535", "1.2.3.4:0", "", ":80", "1.2:80",
    "16909060:80", "0x01.2.3.4:81", "010.2.3.4:80", "[::FFFF:1.2.3.4]:8", "1.2.3.4:80/x",
    "u@1.2.3.4:80", "a@b@1.2.3.4:7", "1.2.3.4:080", "1.2.3.4.:5", "[fe80::1%25lo]:5", " 1.2.3.4:5",
    "1.2.3.4:5 ", "%31.2.3.4:5", "1.2.3.4:5x", "1.2.3.256", "1.2.3.4.5", "1.2.\t3.4:6", "0x:1",
    "1.2.3.4?q:9", "1.2.3.4#f", "[::1", "[::1]x", "1..3.4", "4294967295:2", "4294967296:2",
    "EXAMPLE.com:1", "1.2.3.09",
]:  # fmt: skip
    t(f"parse {json.dumps(text)}", lambda: SA.parse(text))
t("parse number", lambda: SA.parse(5))
t(
    "isSocketAddress",
    lambda: [
        SA.isSocketAddress(SA()),
        SA.is_socket_address({"address": "1.2.3.4"}),
        SA.isSocketAddress(None),
    ],
)
t("Stream is Socket", lambda: net.Stream is net.Socket)
