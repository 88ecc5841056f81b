"""twnet._validators: Node's validators and JavaScript's conversions for Python values.

``test_node_*`` run the same values through Node 24's own validators
(``tests/oracles/validators.js`` under ``node --expose-internals``) and compare: the same
return value, or the same error class and code, and the same message up to its
``Received ...`` part (which shows the Python value, by design: see docs/errors.rst).
"""

from __future__ import annotations

import json
import math
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests._node import find_node
from twnet._errors import NodeError, NodeRangeError, NodeTypeError
from twnet._validators import (
    TimeoutOverflowWarning,
    as_double,
    is_pipe_name,
    js_truthy,
    parse_int,
    string_to_number,
    timer_duration,
    to_int32,
    to_number,
    to_uint32,
    validate_abort_signal,
    validate_boolean,
    validate_encoding,
    validate_function,
    validate_int32,
    validate_integer,
    validate_number,
    validate_object,
    validate_one_of,
    validate_port,
    validate_string,
    validate_string_without_null_bytes,
    validate_uint32,
)

ORACLE = Path(__file__).parent / "oracles" / "validators.js"


def _fn() -> None:
    pass


class _Signal:
    aborted = False


# Values where Python and JavaScript spellings and types disagree.
VALUES: list[Any] = [
    0,
    1,
    -1,
    1.5,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    2**31 - 1,
    2**31,
    2**32 - 1,
    2**32,
    2**53,
    10**400,
    -(10**400),
    65535,
    65536,
    1e21,
    3.0,
    True,
    False,
    None,
    "",
    " ",
    "80",
    " 80 ",
    "\ufeff80",
    "\u00a080\u3000",
    "\t12\n",
    "0x10",
    "0X1f",
    "0o17",
    "0b11",
    "-0x10",
    "1e3",
    "1E-2",
    "1_000",
    "\u0661\u0662",
    "\uff18\uff10",
    "inf",
    "nan",
    "Infinity",
    "-Infinity",
    "+Infinity",
    "-0",
    "+5",
    ".5e1",
    "5.",
    ".",
    "0x",
    "abc",
    "12abc",
    "1e400",
    "a\0b",
    "\ud800x",
    [],
    {},
    _fn,
    b"80",
]

CALLS: list[tuple[str, list[Any]]] = [
    ("validateNumber", []),
    ("validateNumber", [0, 10]),
    ("validateNumber", [1]),
    ("validateInteger", []),
    ("validateInt32", []),
    ("validateInt32", [1]),
    ("validateInt32", [0, 255]),
    ("validateUint32", []),
    ("validateUint32", [True]),
    ("validatePort", []),
    ("validatePort", ["options.port", False]),
    ("validateFunction", []),
    ("validateBoolean", []),
    ("validateObject", []),
    ("validateObject", [1]),
    ("validateObject", [7]),
    ("validateString", []),
    ("validateStringWithoutNullBytes", []),
    ("validateOneOf", [[0, 4, 6]]),
    ("validateAbortSignal", []),
    ("Number", []),
    ("parseInt", []),
    ("toInt32", []),
    ("toUint32", []),
    ("isPipeName", []),
    ("truthy", []),
]


def _object_flags(flags: int) -> dict[str, bool]:
    # (flag 1, nullable, lets null pass, never undefined: Python's None is undefined here)
    return {"allow_array": bool(flags & 2), "allow_function": bool(flags & 4)}


PY_CALLS: dict[str, Callable[..., Any]] = {
    "validateNumber": lambda x, *a: validate_number(x, "x", *a),
    "validateInteger": lambda x, *a: validate_integer(x, "x", *a),
    "validateInt32": lambda x, *a: validate_int32(x, "x", *a),
    "validateUint32": lambda x, *a: validate_uint32(x, "x", *a),
    "validatePort": validate_port,
    "validateFunction": lambda x: validate_function(x, "x"),
    "validateBoolean": lambda x: validate_boolean(x, "x"),
    "validateObject": lambda x, *a: validate_object(x, "x", **_object_flags(a[0] if a else 0)),
    "validateString": lambda x: validate_string(x, "x"),
    "validateStringWithoutNullBytes": lambda x: validate_string_without_null_bytes(x, "x"),
    "validateOneOf": lambda x, a: validate_one_of(x, "x", a),
    "validateAbortSignal": lambda x: validate_abort_signal(x, "x"),
    "Number": to_number,
    "parseInt": parse_int,
    "toInt32": to_int32,
    "toUint32": to_uint32,
    "isPipeName": is_pipe_name,
    "truthy": js_truthy,
}


def _tag(value: Any) -> dict[str, Any]:
    if value is None:
        return {"t": "u"}
    if isinstance(value, bool):
        return {"t": "b", "v": value}
    if isinstance(value, (int, float)):
        number = as_double(value)
        if math.isnan(number):
            text = "NaN"
        elif math.isinf(number):
            text = "Infinity" if number > 0 else "-Infinity"
        else:
            text = repr(value)
        return {"t": "n", "v": text}
    if isinstance(value, str):
        return {"t": "s", "v": value}
    if isinstance(value, bytes):
        return {"t": "buf", "v": value.decode("latin-1")}
    if isinstance(value, list):
        return {"t": "a"}
    if isinstance(value, dict):
        return {"t": "o"}
    if callable(value):
        return {"t": "f"}
    raise AssertionError(value)


def _show(result: Any) -> str | None:
    if result is None:
        return None
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        if math.isnan(result):
            return "NaN"
        if math.isinf(result):
            return "Infinity" if result > 0 else "-Infinity"
        if result == 0 and math.copysign(1, result) < 0:
            return "-0"
        if result.is_integer() and abs(result) < 1e21:
            return str(int(result))
        return repr(result)
    if isinstance(result, int):
        return str(result)
    return None  # a validator returning its (object) argument: Node returns undefined


def _python_outcome(name: str, value: Any, extra: list[Any]) -> dict[str, Any]:
    try:
        result = PY_CALLS[name](value, *extra)
    except NodeError as err:
        kind = "RangeError" if isinstance(err, NodeRangeError) else "TypeError"
        assert isinstance(err, NodeRangeError if kind == "RangeError" else NodeTypeError)
        return {"name": kind, "code": err.code, "message": err.message}
    if name.startswith("validate") and name != "validatePort":
        return {"ok": None}
    return {"ok": _show(result)}


def _without_received(message: str) -> str:
    return message.split(". Received ")[0]


@pytest.fixture(scope="module")
def node_outcomes() -> list[dict[str, Any]]:
    node = find_node((24, 0, 0))
    if node is None:
        pytest.skip("Node >= 24 not found (see tests/_node.py)")
    cases = [[name, _tag(value), extra] for name, extra in CALLS for value in VALUES]
    proc = subprocess.run(
        [node, "--expose-internals", str(ORACLE)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    outcomes: list[dict[str, Any]] = json.loads(proc.stdout)
    return outcomes


@pytest.mark.parametrize("call", range(len(CALLS)), ids=[f"{n}{e}" for n, e in CALLS])
def test_node_agrees(call: int, node_outcomes: list[dict[str, Any]]) -> None:
    name, extra = CALLS[call]
    differences = []
    for index, value in enumerate(VALUES):
        expected = node_outcomes[call * len(VALUES) + index]
        got = _python_outcome(name, value, extra)
        if "message" in expected and "message" in got:
            expected = {**expected, "message": _without_received(expected["message"])}
            got = {**got, "message": _without_received(got["message"])}
        if expected != got:
            differences.append(f"{value!r}: node {expected} twnet {got}")
    assert differences == []


# -- stored expectations (they hold without Node too) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("", 0.0),
        ("  12 ", 12.0),
        ("\ufeff80", 80.0),
        ("0x10", 16.0),
        ("0b11", 3.0),
        ("0o17", 15.0),
        ("1e3", 1000.0),
        ("-Infinity", -math.inf),
        ("1e400", math.inf),
        ("5.", 5.0),
        (".5", 0.5),
    ],
)
def test_string_to_number(text: str, number: float) -> None:
    assert string_to_number(text) == number


@pytest.mark.parametrize(
    "text", ["\u0661\u0662", "1_000", "inf", "nan", "infinity", "-0x10", "0x", ".", "1 2", "\0"]
)
def test_string_to_number_nan(text: str) -> None:
    assert math.isnan(string_to_number(text))


def test_port_messages() -> None:
    with pytest.raises(NodeRangeError) as info:
        validate_port("1_000")
    assert info.value.code == "ERR_SOCKET_BAD_PORT"
    assert info.value.message == "Port should be >= 0 and < 65536. Received type str ('1_000')."
    with pytest.raises(NodeRangeError) as info:
        validate_port(0, "options.port", False)
    assert info.value.message == "options.port should be > 0 and < 65536. Received type int (0)."
    with pytest.raises(NodeRangeError):
        validate_port(" 0 ", "p", False)  # Node 24: +port === 0
    assert validate_port(" 0x50 ") == 80
    assert validate_port(-0.0) == 0
    with pytest.raises(NodeRangeError):
        validate_port(True)
    with pytest.raises(NodeRangeError):
        validate_port(10**400)


def test_integer_messages() -> None:
    with pytest.raises(NodeRangeError) as info:
        validate_int32(1.5, "fd", 0)
    assert info.value.message == (
        'The value of "fd" is out of range. It must be an integer. Received 1.5'
    )
    with pytest.raises(NodeRangeError) as info:
        validate_int32(2**32, "fd", 0)  # Node's separators start above 2**32
    assert info.value.message == (
        'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received 4294967296'
    )
    with pytest.raises(NodeTypeError) as info:
        validate_integer(True, "n")
    assert info.value.code == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(NodeRangeError) as info:
        validate_number(math.nan, "n", 0)
    assert info.value.message.startswith('The value of "n" is out of range. It must be >= 0.')


def test_timer_duration() -> None:
    with pytest.warns(TimeoutOverflowWarning):
        assert timer_duration(2**40, "msecs") == 2**31 - 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert timer_duration(2**40, "msecs", warn=False) == 2**31 - 1
        assert timer_duration(2**31 - 1, "msecs") == 2**31 - 1
    assert timer_duration(1.5, "msecs") == 1.5
    for bad in (10**400, math.nan, -1, math.inf):
        with pytest.raises(NodeRangeError) as info:
            timer_duration(bad, "msecs")
        assert info.value.code == "ERR_OUT_OF_RANGE"
    with pytest.raises(NodeTypeError):
        timer_duration("5", "msecs")


def test_one_of_compares_as_strict_equality() -> None:
    assert validate_one_of(4.0, "family", (0, 4, 6)) == 4.0
    for bad in (True, "4", None, [4]):
        with pytest.raises(NodeTypeError) as info:
            validate_one_of(bad, "options.family", (0, 4, 6))
        assert info.value.code == "ERR_INVALID_ARG_VALUE"
    assert str(info.value).startswith("The property 'options.family' must be one of: 0, 4, 6.")


def test_encoding() -> None:
    assert validate_encoding("UTF-8") == "utf8"
    assert validate_encoding(None) == "utf8"
    assert validate_encoding("") == "utf8"
    for bad in ("", "bogus", 5):
        with pytest.raises(NodeTypeError) as info:
            validate_encoding(bad, empty_is_utf8=False)
        assert info.value.code == "ERR_UNKNOWN_ENCODING"
        assert info.value.message == f"Unknown encoding: {bad}"


def test_abort_signal_and_function() -> None:
    assert validate_abort_signal(None, "signal") is None
    signal = _Signal()
    assert validate_abort_signal(signal, "signal") is signal
    with pytest.raises(NodeTypeError) as info:
        validate_abort_signal(object(), "options.signal")
    assert "must be an instance of AbortSignal" in info.value.message
    assert validate_function(_Signal, "callback") is _Signal  # a class is a function in JS
    with pytest.raises(NodeTypeError) as info:
        validate_function(_Signal(), "callback")
    assert info.value.message.startswith('The "callback" argument must be of type function.')


def test_conversions() -> None:
    assert to_int32(2**31) == -(2**31)
    assert to_int32(math.nan) == 0
    assert to_int32("0x10") == 16
    assert to_uint32(-1) == 2**32 - 1
    assert parse_int(1.9) == 1
    assert math.isnan(parse_int(math.inf))
    assert parse_int(" 42px") == 42
    assert js_truthy({}) and js_truthy([]) and not js_truthy(math.nan) and not js_truthy("")
    assert is_pipe_name("/tmp/x.sock") and is_pipe_name("1_000") and not is_pipe_name(" 80")
