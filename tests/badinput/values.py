"""The values of the bad-input battery: hypothesis strategies over what a caller can pass, and
their encoding for the Node oracle (``oracle.js``).

Python value -> JavaScript value, as a port from Node would spell it:

* ``None`` -> ``undefined`` *and* ``null`` (Python has one where JavaScript has two; the
  oracle runs both and twnet may match either);
* ``bool`` -> boolean; ``int`` -> number (``Number(n)``: a huge int rounds, ``10**400`` is
  ``Infinity``); ``float`` -> number (NaN, +-Infinity and -0 survive, tagged);
* ``str`` -> string (lone surrogates too); ``bytes`` / ``bytearray`` / ``memoryview`` -> Buffer;
* ``list`` / ``tuple`` -> Array; ``dict`` -> a plain object (snake_case twins of known option
  keys are sent camelCase, as twnet reads them); a callable -> a function;
* an ``Exception`` -> an ``Error``; a fresh ``twnet.Server`` / ``Socket`` / ``EventEmitter`` /
  ``AbortSignal`` / ``BlockList`` / ``SocketAddress`` -> the same, fresh, in Node (see
  :class:`Fresh`);
* anything else (``object()``, ``Decimal``, ``complex``, ``set``, ``range``) -> an instance of
  an empty class of the same name: an object with no useful property.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import twnet
import twnet.stream

__all__ = [
    "Fresh",
    "any_value",
    "callbacks",
    "encode",
    "encodings",
    "fds",
    "hosts",
    "ints",
    "numbers",
    "options",
    "paths",
    "ports",
    "scalars",
    "strings",
]

SAFE_INT = 2**53


def noop(*args: Any) -> None:
    """The function passed where a callback is expected (JavaScript: ``function noop() {}``)."""


def _write_hook(stream: Any, chunk: Any, encoding: Any, callback: Any) -> None:
    callback()


class Fresh:
    """A fresh twnet object given as an argument, made when the case runs (so each case gets
    its own and closes it): ``Fresh('server')``, ``Fresh('socket')``, ``Fresh('emitter')``,
    ``Fresh('signal')`` (a new AbortController's signal), ``Fresh('aborted')``
    (``AbortSignal.abort()``), ``Fresh('blocklist')``, ``Fresh('socketaddress')``,
    ``Fresh('readable')`` / ``Fresh('writable')`` (streams whose hooks do nothing / accept
    every chunk)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Fresh({self.kind!r})"

    def make(self) -> Any:
        if self.kind == "server":
            return twnet.Server()
        if self.kind == "socket":
            return twnet.Socket()
        if self.kind == "signal":
            return twnet.AbortController().signal
        if self.kind == "aborted":
            return twnet.AbortSignal.abort()
        if self.kind == "blocklist":
            return twnet.BlockList()
        if self.kind == "socketaddress":
            return twnet.SocketAddress()
        if self.kind == "readable":
            return twnet.stream.Readable({"read": noop})
        if self.kind == "writable":
            return twnet.stream.Writable({"write": _write_hook})
        return twnet.EventEmitter()


class Opaque:
    """``object()`` with a readable repr: an object with no useful property."""

    def __repr__(self) -> str:
        return "object()"


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def encode(value: Any, known_keys: frozenset[str] = frozenset()) -> Any:
    """*value* as the oracle's tagged JSON (see the module docstring)."""
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < SAFE_INT else {"t": "int", "v": str(int(value))}
    if isinstance(value, float):
        if math.isnan(value):
            return {"t": "num", "v": "NaN"}
        if math.isinf(value):
            return {"t": "num", "v": "Infinity" if value > 0 else "-Infinity"}
        if value == 0 and math.copysign(1, value) < 0:
            return {"t": "num", "v": "-0"}
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"t": "buf", "v": bytes(value).hex()}
    if isinstance(value, (list, tuple)):
        return {"t": "arr", "v": [encode(v, known_keys) for v in value]}
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = str(k)
            if "_" in key.strip("_") and _camel(key) in known_keys:
                key = _camel(key)
            items.append([key, encode(v, known_keys)])
        return {"t": "obj", "v": items}
    if isinstance(value, Fresh):
        return {"t": value.kind}
    if isinstance(value, BaseException):
        return {"t": "err", "message": str(value)}
    if callable(value):
        return {"t": "fn"}
    name = "Object" if isinstance(value, Opaque) else type(value).__name__
    return {"t": "inst", "cls": name}


def materialize(value: Any, made: list[Any]) -> Any:
    """*value* with every :class:`Fresh` replaced by a new object (appended to *made*)."""
    if isinstance(value, Fresh):
        obj = value.make()
        made.append(obj)
        return obj
    if isinstance(value, list):
        return [materialize(v, made) for v in value]
    if isinstance(value, tuple):
        return tuple(materialize(v, made) for v in value)
    if isinstance(value, dict):
        return {k: materialize(v, made) for k, v in value.items()}
    return value


# -- scalars ---------------------------------------------------------------------------------

#: Spellings of numbers on which Python and JavaScript disagree, or that only one reads.
NUMERIC_STRINGS = [
    "",
    " ",
    "0",
    "-0",
    "+0",
    "00",
    "0.0",
    ".0",
    "0.",
    "1",
    "80",
    "8124",
    "65535",
    "65536",
    "-1",
    "+1",
    "1.5",
    "1e3",
    "1E3",
    "1e400",
    "1_000",
    "0_0",
    "0x1f",
    "0X1F",
    "0x",
    "0b11",
    "0o17",
    "017",
    "1n",
    " 12 ",
    "\t8\n",
    "\u00a080",
    "\ufeff80",
    "\u200b80",
    "\u2028 1",
    "\u3000 7",
    "\u0660\u0661",
    "\u0660",
    "\uff11\uff12",
    "Infinity",
    "-Infinity",
    "inf",
    "NaN",
    "nan",
    "true",
    "null",
]

#: Integers at the edges of the int32, uint32, safe-integer and port ranges.
EDGE_INTS = [
    0,
    1,
    -1,
    2,
    9,
    10,
    80,
    1000,
    65535,
    65536,
    -65536,
    2**31 - 1,
    2**31,
    -(2**31),
    -(2**31) - 1,
    2**32 - 1,
    2**32,
    2**53 - 1,
    2**53,
    2**53 + 1,
    2**63,
    2**64,
    10**21,
    10**400,
    -(10**400),
]

EDGE_FLOATS = [
    0.0,
    -0.0,
    0.5,
    1.5,
    -1.5,
    1e-300,
    5e-324,
    1000.0,
    65535.0,
    65535.5,
    2.0**31,
    1e21,
    1e300,
    1.7976931348623157e308,
    math.inf,
    -math.inf,
    math.nan,
]

ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers(-(2**70), 2**70))
numbers = st.one_of(
    ints,
    st.sampled_from(EDGE_FLOATS),
    st.floats(allow_nan=True, allow_infinity=True),
)
strings = st.one_of(
    st.sampled_from(NUMERIC_STRINGS),
    st.sampled_from(["abc", "\ud800x", "a\0b", "x" * 300, "error", "constructor", "__proto__"]),
    st.text(max_size=6),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    strings,
    st.binary(max_size=6),
    st.binary(max_size=4).map(bytearray),
    st.binary(max_size=4).map(memoryview),
)
objects = st.sampled_from(
    [
        Opaque(),
        Decimal("1"),
        Fraction(1, 2),
        complex(1, 0),
        frozenset(),
        range(2),
        Exception("boom"),
        ValueError("bad"),
        noop,
        print,
        str,
        Fresh("emitter"),
        Fresh("signal"),
        Fresh("aborted"),
        Fresh("blocklist"),
        Fresh("socketaddress"),
    ]
)

#: Keys no call knows. (Not the names of Object.prototype's members, such as 'toString':
#: in JavaScript they would replace the object's own methods, which a Python dict has not.)
JUNK_KEYS = ["foo", "bar_baz", "1", "", "PORT"]


def _nested(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=2).map(tuple),
        st.dictionaries(
            st.sampled_from(JUNK_KEYS) | st.text(alphabet="abcxyz_1", max_size=3),
            children,
            max_size=3,
        ),
    )


#: Any value a caller might pass, nested one or two levels.
any_value = st.recursive(st.one_of(scalars, objects), _nested, max_leaves=5)

# -- focused strategies ----------------------------------------------------------------------


def _mix(*focused: Iterable[Any] | st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = [f if isinstance(f, st.SearchStrategy) else st.sampled_from(list(f)) for f in focused]
    return st.one_of(*parts, any_value)


#: Ports: numbers, numeric strings, and everything else.
ports = _mix(EDGE_INTS, EDGE_FLOATS, NUMERIC_STRINGS, st.integers(0, 65535))

#: Hosts: loopback spellings, names (resolved only for 'localhost', see oracle.js), bad ones.
hosts = _mix(
    [
        "127.0.0.1",
        "::1",
        "localhost",
        "LOCALHOST",
        "",
        "127.1",
        "::ffff:127.0.0.1",
        "[::1]",
        " 127.0.0.1",
        "no.such.host.invalid",
        "a\0b",
        "127.0.0.1\0x",
        "\ud800x",
        "0x7f.1",
    ],
    st.text(alphabet="abc.:1", max_size=6),
)

#: Descriptors that are open in neither process (so the two agree on what they are), and
#: values that are not descriptors.
fds = _mix([-1, -2, -(2**31), 2**31 - 1, 2**31, 2**32, 2**53, 10**400, 999_999, 1 << 20])

#: UNIX socket names (relative to the battery's own working directory).
paths = _mix(["sock", "a b", "\0abstract", "no/such/dir/sock", "x" * 200, ".", "/"])

#: Encoding names: Node's, their other spellings, and unknown ones.
encodings = _mix(
    [
        "utf8",
        "utf-8",
        "UTF8",
        "Utf-8",
        "ascii",
        "latin1",
        "binary",
        "hex",
        "HEX",
        "base64",
        "base64url",
        "ucs2",
        "ucs-2",
        "utf16le",
        "utf-16le",
        "buffer",
        "utf32",
        "utf-16",
        "cp1252",
        "",
        "utf8\0",
    ]
)

#: Callbacks: a function, None, and what is not a function.
callbacks = _mix([noop, None, 5, "x", True])


def options(
    keys: dict[str, st.SearchStrategy[Any] | None],
    *,
    snake: bool = True,
    max_size: int = 4,
) -> st.SearchStrategy[dict[str, Any]]:
    """Option dicts: a few of *keys* (each with its own strategy, None: any value), their
    snake_case twins, and unknown keys."""
    entries: list[st.SearchStrategy[tuple[str, Any]]] = []
    for key, strategy in keys.items():
        values = strategy if strategy is not None else any_value
        entries.append(st.tuples(st.just(key), values))
        twin = _snake(key)
        if snake and twin != key:
            entries.append(st.tuples(st.just(twin), values))
    entries.append(st.tuples(st.sampled_from(JUNK_KEYS), any_value))
    return st.lists(st.one_of(*entries), max_size=max_size).map(dict)


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name)
    return out.replace("_i_pv", "_ipv").replace("_i_p", "_ip")


def known(keys: dict[str, Any]) -> frozenset[str]:
    """The camelCase keys of an options table (for :func:`encode`)."""
    return frozenset(keys)


def flags() -> st.SearchStrategy[Any]:
    """Values for boolean options: booleans first, then anything."""
    return _mix([True, False, 0, 1, "", "yes"])


def sized() -> st.SearchStrategy[Any]:
    """Values for sizes and times (highWaterMark, msecs, delays)."""
    return _mix(EDGE_INTS, EDGE_FLOATS, NUMERIC_STRINGS)


Maker = Callable[[], Any]
