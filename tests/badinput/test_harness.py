"""The battery's own machinery, without Node: the value encoding, the comparison of outcomes
and the docs section it writes."""

from __future__ import annotations

import math

from tests.badinput import harness, report
from tests.badinput import values as v


def test_encoding_keeps_what_json_loses() -> None:
    assert v.encode(None) == {"t": "none"}
    assert v.encode(True) is True
    assert v.encode(math.nan) == {"t": "num", "v": "NaN"}
    assert v.encode(-math.inf) == {"t": "num", "v": "-Infinity"}
    assert v.encode(-0.0) == {"t": "num", "v": "-0"}
    assert v.encode(0.0) == 0.0
    assert v.encode(2**53) == {"t": "int", "v": str(2**53)}
    assert v.encode(2**53 - 1) == 2**53 - 1
    assert v.encode(b"\x00\xff") == {"t": "buf", "v": "00ff"}
    assert v.encode((1, [2])) == {"t": "arr", "v": [1, {"t": "arr", "v": [2]}]}
    assert v.encode(v.noop) == {"t": "fn"}
    assert v.encode(v.Fresh("signal")) == {"t": "signal"}
    assert v.encode(object()) == {"t": "inst", "cls": "object"}


def test_snake_case_twins_of_known_keys_go_to_node_in_camel_case() -> None:
    keys = frozenset({"allowHalfOpen"})
    encoded = v.encode({"allow_half_open": 1, "bar_baz": 2}, keys)
    assert encoded == {"t": "obj", "v": [["allowHalfOpen", 1], ["bar_baz", 2]]}


def _throw(name: str, code: str | None, message: str) -> dict[str, object]:
    return {"throw": {"name": name, "code": code, "message": message}}


def test_compare_requires_the_same_family_code_and_message_head() -> None:
    node = _throw(
        "RangeError", "ERR_SOCKET_BAD_PORT", "Port should be >= 0. Received type number (NaN)."
    )
    same = _throw(
        "RangeError", "ERR_SOCKET_BAD_PORT", "Port should be >= 0. Received type float (nan)."
    )
    assert harness.compare(node, same) is None
    assert harness.compare(node, _throw("TypeError", "ERR_SOCKET_BAD_PORT", "Port should be >= 0."))
    assert harness.compare(node, _throw("RangeError", "ERR_OUT_OF_RANGE", "Port should be >= 0."))
    assert harness.compare(node, _throw("RangeError", "ERR_SOCKET_BAD_PORT", "Port must be >= 0."))
    assert harness.compare(node, {"throw": None})
    assert harness.compare({"throw": None}, node)
    raw = _throw("raw", None, "builtins.OverflowError: too big")
    assert harness.compare(node, raw)


def test_compare_listen_outcomes_and_binds() -> None:
    listening = {"throw": None, "listen": {"event": "listening", "error": None}, "binds": []}
    failed = {
        "throw": None,
        "listen": {"event": "error", "error": {"name": "Error", "code": "EINVAL", "message": "x"}},
        "binds": [],
    }
    assert harness.compare(listening, dict(listening)) is None
    assert harness.compare(listening, failed)
    tcp = {"kind": "tcp", "host": "any", "port": 1000}
    assert harness.compare({**listening, "binds": [tcp]}, {**listening, "binds": []})
    # a path or descriptor listen is judged by its outcome, not by where it bound
    assert harness.compare({**listening, "binds": [{"kind": "path"}]}, listening) is None


def test_none_matches_either_undefined_or_null() -> None:
    accepts = {"throw": None}
    throws = _throw("TypeError", "ERR_INVALID_ARG_TYPE", 'The "x" argument must be of type number')
    assert harness.compare_variants([throws, accepts], accepts) is None
    assert harness.compare_variants([throws, accepts], throws) is None
    assert harness.compare_variants([throws], accepts)


def test_message_head_stops_where_the_value_is_quoted() -> None:
    assert harness.message_head("Unknown encoding: []", "ERR_UNKNOWN_ENCODING") == (
        "Unknown encoding"
    )
    head = "The \"msecs\" argument must be of type number. Received type str ('x')"
    assert harness.message_head(head, "ERR_INVALID_ARG_TYPE") == (
        'The "msecs" argument must be of type number'
    )


def test_report_replaces_only_its_section() -> None:
    doc = "# Reliability\n\n## Faults\n\nkept\n\n## Bad input\n\nold\n\n## Later\n\nkept too\n"
    summary = {
        "node": "v24.0.0",
        "examples_per_call": 3,
        "calls": 1,
        "values_tried": 3,
        "values_compared": 3,
        "differences": 0,
        "deliberate": 0,
        "per_call": {"net.isIP(input)": {"tried": 3, "compared": 3}},
        "difference_list": [],
    }
    updated = report.update(doc, report.render(summary))
    assert "old" not in updated
    assert updated.startswith("# Reliability\n\n## Faults\n\nkept\n\n## Bad input\n")
    assert updated.endswith("## Later\n\nkept too\n")
    assert "| Differences | 0 |" in updated
    assert "| `net.isIP(input)` | 3 | 3 |" in updated
