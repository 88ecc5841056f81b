"""isIP / isIPv4 / isIPv6 on addresses, near-misses and non-strings."""

import json

from _parity import log

import twnet as net

inputs = [
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.1",
    "1.2.3",
    "01.2.3.4",
    "1.2.3.4 ",
    "::1",
    "::",
    "fe80::1%eth0",
    "2001:db8::ff00:42:8329",
    "::ffff:127.0.0.1",
    "1::2::3",
    "fhqwhgads",
    "",
    "localhost",
    "[::1]",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
]
for i, value in enumerate(inputs):
    log(f"{i:02d}", json.dumps(value), net.isIP(value), net.isIPv4(value), net.isIPv6(value))
