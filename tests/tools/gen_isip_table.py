"""Generate tests/isip_table.json: Node's own answers to net.isIP, isIPv4 and isIPv6.

Usage: python tests/tools/gen_isip_table.py [--node PATH] [--output FILE]

Every expected value in the table comes from running Node (found with tests/_node.py's
find_node(), or --node) on the inputs listed in INPUTS below; none is written by hand.
tests/test_isip.py imports this file for INPUTS' encoding, decode_input() and
node_answers(), and re-checks the table against Node whenever one is available.

An input is a JSON value, which means the same thing in Python and in JavaScript (a list
is a JavaScript array, null is None), or one of these tagged objects for what JSON can't
say (the tags' meaning in JavaScript is the Python value's counterpart that twnet uses):

  {"$bytes": HEX}          bytes                        Buffer.from(HEX, 'hex')
  {"$bytearray": HEX}      bytearray                    Buffer.from(HEX, 'hex')
  {"$memoryview": HEX}     memoryview(bytes)            Buffer.from(HEX, 'hex')
  {"$tuple": [...]}        tuple                        array
  {"$dict": {...}}         dict                         plain object
  {"$float": "nan"|"inf"|"-inf"}  float                 NaN, Infinity, -Infinity
  {"$str_object": S}       object whose __str__ is S    {toString() { return S }}
  {"$ipaddress": S}        ipaddress.ip_address(S)      {toString() { return str(that) }}
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from pathlib import Path
from typing import Any

TESTS_DIR = Path(__file__).resolve().parent.parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from _node import find_node, run_node_json  # noqa: E402

TABLE_PATH = TESTS_DIR / "isip_table.json"


def _hex(s: str) -> str:
    return s.encode("utf-8").hex()


INPUTS: list[Any] = [
    # IPv4: octet range, leading zeros, wrong number of parts, shorthand forms
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "192.168.1.1",
    "199.249.255.249",
    "256.0.0.1",
    "1.2.3.256",
    "255.255.255.2555",
    "100.200.300.400",
    "01.2.3.4",
    "1.02.3.4",
    "1.2.3.00",
    "00.0.0.0",
    "1.1.1",
    "1.1.1.1.1",
    "1.1.1.1.",
    ".1.1.1.1",
    "1..1.1",
    "127.1",
    "2130706433",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "1e1.1.1.1",
    "1.2.3.-1",
    "+1.2.3.4",
    "1.2.3.4/32",
    "1.2.3.4:80",
    "1.2.3.4%eth0",
    "1.2.3.4%1",
    # whitespace and control characters
    "1.2.3.4 ",
    " 1.2.3.4",
    "1.2.3.4\n",
    "1.2.3.4\r\n",
    "\t1.2.3.4",
    "1. 2.3.4",
    "1.2.3.4\x00",
    "::1 ",
    " ::1",
    "::1\n",
    "\n::1",
    "::1\t",
    ": :1",
    "fe80::1%eth0 ",
    "fe80::1%eth 0",
    # unicode look-alikes
    "\u0661\u0662\u0667.\u0660.\u0660.\u0661",
    "\uff11\uff12\uff17.\uff10.\uff10.\uff11",
    "127\u30020\u30020\u30021",
    "127.0.0.1\u200b",
    "\ufeff127.0.0.1",
    "\ufe13\ufe131",
    "\ud800",
    "\u00b2.1.1.1",
    # IPv6: plain, compressed, too many / too few groups, misplaced "::"
    "::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1::2:3:4:5:6:7",
    "1::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    ":::",
    "::::",
    "1:::2",
    "::1::",
    "1::2::3",
    ":1",
    "1:",
    ":1::",
    "1::2:",
    "2001:db8::1",
    "2001:DB8:0:0:8:800:200C:417A",
    "ABCD:EF01:2345:6789:abcd:ef01:2345:6789",
    "FF01::101",
    "abcd::EF01",
    "12345::",
    "g::1",
    "0000:0000:0000:0000:0000:0000:0000:0001",
    "00000::1",
    "0:0:0:0:0:0:0:0",
    # IPv6 with an embedded dotted quad
    "::ffff:127.0.0.1",
    "::FFFF:127.0.0.1",
    "::ffff:127.0.0.256",
    "::ffff:127.0.0",
    "::ffff:127.0.0.01",
    "::ffff:0:127.0.0.1",
    "::127.0.0.1",
    "64:ff9b::192.0.2.33",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1:2:3:4:5::1.2.3.4",
    "1:2:3:4:5:6::1.2.3.4",
    "1::2:3:4:5:1.2.3.4",
    "1.2.3.4::",
    "1.2.3.4::1",
    "::1.2.3.4:1",
    "::1.2.3.4.5",
    "1.2.3.4:1::",
    "::ffff:1.2.3",
    # zone ids
    "fe80::1%eth0",
    "fe80::1%1",
    "fe80::1%",
    "fe80::1%%",
    "fe80::1%eth_0",
    "fe80::1%a-b.c:d",
    "fe80::1%25eth0",
    "fe80::1%eth0%1",
    "fe80::1%\u00e9",
    "fe80::1%[1]",
    "fe80::1%/64",
    "::ffff:1.2.3.4%eth0",
    "1:2:3:4:5:6:7:8%1",
    "1:2:3:4:5:6:1.2.3.4%x",
    "%eth0",
    "::%::",
    # bracketed, ports, prefixes
    "[::1]",
    "[::1]:80",
    "::1/128",
    "[127.0.0.1]",
    # names and other strings
    "",
    "localhost",
    "example.com",
    "0",
    "1",
    "null",
    "true",
    "undefined",
    "[object Object]",
    # long strings
    "1" * 1000,
    "1." * 500,
    "1:" * 500 + ":",
    "a" * 10000,
    "::" + "1:" * 6 + "1",
    "1.2.3.4" + " " * 100,
    "fe80::1%" + "a" * 1000,
    # numbers, null, booleans
    1,
    0,
    -1,
    1.5,
    127.0,
    2130706433,
    1e21,
    10**30,
    {"$float": "nan"},
    {"$float": "inf"},
    {"$float": "-inf"},
    None,
    True,
    False,
    # arrays (Python lists and tuples)
    ["127.0.0.1"],
    ["::1"],
    [["::1"]],
    [[["1.2.3.4"]]],
    [],
    ["1.2.3.4", "5.6.7.8"],
    [None],
    [True],
    [1],
    ["127.0.0.1", None],
    {"$tuple": ["::1"]},
    {"$tuple": []},
    # buffers (bytes, bytearray, memoryview)
    {"$bytes": _hex("127.0.0.1")},
    {"$bytes": _hex("::1")},
    {"$bytes": _hex("fe80::1%eth0")},
    {"$bytes": _hex("1.2.3.4 ")},
    {"$bytes": ""},
    {"$bytes": "ff3a3a31"},
    {"$bytes": _hex("\u0661.1.1.1")},
    {"$bytearray": _hex("1.2.3.4")},
    {"$memoryview": _hex("2001:db8::1")},
    # objects with a string conversion
    {"$dict": {}},
    {"$dict": {"address": "1.2.3.4"}},
    {"$str_object": "::1"},
    {"$str_object": "1.2.3.4"},
    {"$str_object": "localhost"},
    {"$ipaddress": "127.0.0.1"},
    {"$ipaddress": "::1"},
    {"$ipaddress": "::ffff:127.0.0.1"},
    {"$ipaddress": "fe80::1%eth0"},
]


class StrObject:
    """A Python object whose string conversion is fixed, like a JS object with toString()."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"StrObject({self.text!r})"


def decode_input(value: Any) -> object:
    """The Python value an INPUTS entry (or a table row's "input") stands for."""
    if isinstance(value, list):
        return [decode_input(v) for v in value]
    if isinstance(value, dict):
        ((tag, arg),) = value.items()
        if tag == "$bytes":
            return bytes.fromhex(arg)
        if tag == "$bytearray":
            return bytearray.fromhex(arg)
        if tag == "$memoryview":
            return memoryview(bytes.fromhex(arg))
        if tag == "$tuple":
            return tuple(decode_input(v) for v in arg)
        if tag == "$dict":
            return {k: decode_input(v) for k, v in arg.items()}
        if tag == "$float":
            return float(arg)
        if tag == "$str_object":
            return StrObject(arg)
        if tag == "$ipaddress":
            return ipaddress.ip_address(arg)
        raise ValueError(f"unknown tag {tag!r}")
    return value


def _for_node(value: Any) -> Any:
    """An INPUTS entry with the tags JavaScript can't evaluate by itself resolved."""
    if isinstance(value, list):
        return [_for_node(v) for v in value]
    if isinstance(value, dict):
        ((tag, arg),) = value.items()
        if tag == "$ipaddress":
            return {"$str_object": str(ipaddress.ip_address(arg))}
        if tag == "$tuple":
            return {tag: [_for_node(v) for v in arg]}
        if tag == "$dict":
            return {tag: {k: _for_node(v) for k, v in arg.items()}}
    return value


NODE_SCRIPT = r"""
const net = require('net');
function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  const [[tag, arg]] = Object.entries(v);
  switch (tag) {
    case '$bytes': case '$bytearray': case '$memoryview': return Buffer.from(arg, 'hex');
    case '$tuple': return arg.map(decode);
    case '$dict': {
      const o = {};
      for (const [k, x] of Object.entries(arg)) o[k] = decode(x);
      return o;
    }
    case '$float': return {nan: NaN, inf: Infinity, '-inf': -Infinity}[arg];
    case '$str_object': return { toString() { return arg; } };
    default: throw new Error('unknown tag ' + tag);
  }
}
const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const results = inputs.map((x) => {
  const v = decode(x);
  return { isIP: net.isIP(v), isIPv4: net.isIPv4(v), isIPv6: net.isIPv6(v) };
});
process.stdout.write(JSON.stringify({ version: process.version, results }));
"""


def node_answers(node: str, inputs: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    """Node's version and its {"isIP", "isIPv4", "isIPv6"} for each input, in one process."""
    out = run_node_json(node, NODE_SCRIPT, [_for_node(x) for x in inputs])
    results: list[dict[str, Any]] = out["results"]
    if len(results) != len(inputs):
        raise RuntimeError(f"node answered {len(results)} of {len(inputs)} inputs")
    return out["version"], results


def build_table(node: str) -> dict[str, Any]:
    version, results = node_answers(node, INPUTS)
    return {
        "comment": (
            "Node's answers to net.isIP/isIPv4/isIPv6; generated by "
            "tests/tools/gen_isip_table.py, do not edit by hand"
        ),
        "node": version,
        "cases": [{"input": x, **r} for x, r in zip(INPUTS, results, strict=True)],
    }


def format_table(table: dict[str, Any]) -> str:
    """The table as JSON with one case a line (non-ASCII and control characters escaped)."""
    head = {k: v for k, v in table.items() if k != "cases"}
    lines = [json.dumps(head)[:-1] + ', "cases": [']
    lines += [json.dumps(case) + "," for case in table["cases"]]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "]}", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--node", help="node executable (default: tests/_node.py find_node())")
    parser.add_argument("--output", type=Path, default=TABLE_PATH)
    args = parser.parse_args(argv)
    node = args.node or find_node((24, 0, 0))
    if node is None:
        parser.error("no Node >= 24 found; pass --node or set TWNET_NODE")
    table = build_table(node)
    args.output.write_text(format_table(table), encoding="utf-8")
    print(f"wrote {len(table['cases'])} cases from node {table['node']} to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
