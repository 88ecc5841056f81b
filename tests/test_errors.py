"""twnet's errors: system errors, argument and state errors, all built in ``twnet/_errors.py``.

Messages are checked against stored expectations; ``test_node_*`` re-derive them from Node
(when a Node >= 22 is found): the argument and state messages from Node's own error table
(``node --expose-internals``), the system errors from real failures in Node and in Python.
"""

from __future__ import annotations

import ast
import builtins
import errno
import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from twisted.internet import error as terror
from twisted.internet.protocol import Factory
from twisted.python.failure import Failure

import twnet
from tests._node import find_node
from twnet import _errors
from twnet._errors import (
    NodeError,
    NodeRangeError,
    NodeSystemError,
    NodeTypeError,
    describe_received,
    invalid_arg_type,
    make_error,
    system_error,
)
from twnet._failures import translate

TWNET = Path(twnet.__file__).resolve().parent


def _node() -> str:
    node = find_node((22, 0, 0))
    if node is None:
        pytest.skip("no Node >= 22 found (set TWNET_NODE)")
    return node


# -- the base class ----------------------------------------------------------------------------


def test_every_kind_is_a_node_error() -> None:
    assert issubclass(NodeTypeError, TypeError) and issubclass(NodeTypeError, NodeError)
    assert issubclass(NodeRangeError, ValueError) and issubclass(NodeRangeError, NodeError)
    assert issubclass(NodeSystemError, OSError) and issubclass(NodeSystemError, NodeError)
    assert twnet.NodeError is NodeError
    assert twnet.NodeTypeError is NodeTypeError
    assert twnet.NodeRangeError is NodeRangeError
    assert twnet.NodeSystemError is NodeSystemError


def test_every_registered_code_builds_a_node_error_with_that_code() -> None:
    for code in _errors._MESSAGES:
        args = {
            "ERR_INVALID_ARG_TYPE": ("x", "string", 1),
            "ERR_INVALID_ARG_VALUE": ("x", 1),
            "ERR_MISSING_ARGS": ("x",),
            "ERR_OUT_OF_RANGE": ("x", ">= 0", -1),
            "ERR_SOCKET_BAD_PORT": ("port", -1),
            "ERR_INVALID_RETURN_VALUE": ("AsyncIterable", "transform[0]", 42),
        }.get(code, ("arg",))
        err = make_error(code, *args)
        assert isinstance(err, NodeError)
        assert err.code == code
        assert str(err) == err.message != ""


# -- system errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("ECONNREFUSED", ConnectionRefusedError),
        ("ECONNRESET", ConnectionResetError),
        ("ECONNABORTED", ConnectionAbortedError),
        ("EPIPE", BrokenPipeError),
        ("ETIMEDOUT", TimeoutError),
        ("ENOENT", FileNotFoundError),
        ("EACCES", PermissionError),
    ],
)
def test_system_error_is_the_matching_oserror_subclass(code: str, cls: type[OSError]) -> None:
    for spec in (code, getattr(errno, code)):
        err = system_error(spec, "connect", "127.0.0.1", 80)
        assert isinstance(err, cls)
        assert isinstance(err, NodeSystemError) and isinstance(err, NodeError)
        assert err.code == code
        assert err.errno == getattr(errno, code)
        assert err.syscall == "connect"
        # the classes are made once per OSError subclass
        assert type(err) is type(system_error(code, "write"))


def test_system_error_without_a_specific_subclass_is_a_plain_oserror() -> None:
    err = system_error("EADDRINUSE", "listen", "::", 8124, detailed=True)
    assert type(err) is NodeSystemError
    assert isinstance(err, OSError)
    for specific in (ConnectionError, TimeoutError, FileNotFoundError, PermissionError):
        assert not isinstance(err, specific)


def test_connect_econnrefused() -> None:
    err = system_error("ECONNREFUSED", "connect", "127.0.0.1", 8124)
    assert str(err) == err.message == "connect ECONNREFUSED 127.0.0.1:8124"
    assert (err.code, err.errno, err.syscall) == ("ECONNREFUSED", errno.ECONNREFUSED, "connect")
    assert (err.address, err.port, err.hostname) == ("127.0.0.1", 8124, None)
    assert err.args == ("connect ECONNREFUSED 127.0.0.1:8124",)


def test_listen_eaddrinuse_ipv6_any() -> None:
    err = system_error("EADDRINUSE", "listen", "::", 8124, detailed=True)
    assert str(err) == "listen EADDRINUSE: address already in use :::8124"
    assert (err.code, err.errno, err.syscall) == ("EADDRINUSE", errno.EADDRINUSE, "listen")
    assert (err.address, err.port) == ("::", 8124)


def test_listen_eaddrnotavail_port_zero_is_no_port() -> None:
    err = system_error(errno.EADDRNOTAVAIL, "listen", "10.99.99.99", 0, detailed=True)
    assert str(err) == "listen EADDRNOTAVAIL: address not available 10.99.99.99"
    assert err.code == "EADDRNOTAVAIL"
    assert err.address == "10.99.99.99"
    assert err.port is None  # Node sets err.port only when it is not 0


def test_connect_enoent_unix_path() -> None:
    err = system_error("ENOENT", "connect", "/tmp/x.sock")
    assert isinstance(err, FileNotFoundError)
    assert str(err) == "connect ENOENT /tmp/x.sock"
    assert (err.address, err.port) == ("/tmp/x.sock", None)


def test_getaddrinfo_enotfound() -> None:
    err = system_error("ENOTFOUND", "getaddrinfo", hostname="nosuch.invalid")
    assert str(err) == "getaddrinfo ENOTFOUND nosuch.invalid"
    assert (err.code, err.syscall, err.hostname) == ("ENOTFOUND", "getaddrinfo", "nosuch.invalid")
    assert err.address is None
    # Python's resolver number (socket.gaierror's), never an errno such as ENOENT
    assert err.errno == socket.EAI_NONAME
    assert not isinstance(err, FileNotFoundError)


def test_system_error_with_nodes_own_message() -> None:
    err = system_error("EPIPE", "write", message="This socket has been ended by the other party")
    assert isinstance(err, BrokenPipeError)
    assert str(err) == "This socket has been ended by the other party"
    assert (err.code, err.syscall) == ("EPIPE", "write")


def test_system_error_from_unknown_errno() -> None:
    err = system_error(99999, "read")
    assert err.code == "UNKNOWN"
    assert str(err) == "read UNKNOWN"


# -- translate: OSError, Twisted errors, Failures ----------------------------------------------


def test_translate_an_oserror() -> None:
    err = translate(OSError(errno.ECONNRESET, "reset"), "read")
    assert isinstance(err, ConnectionResetError) and isinstance(err, NodeError)
    assert str(err) == "read ECONNRESET"
    assert (err.code, err.syscall) == ("ECONNRESET", "read")  # type: ignore[attr-defined]


def test_translate_twisted_connection_refused() -> None:
    for original in (
        terror.ConnectionRefusedError(),
        terror.getConnectError((errno.ECONNREFUSED, "Connection refused")),
    ):
        err = translate(original, "connect", "127.0.0.1", 8124)
        assert isinstance(err, ConnectionRefusedError) and isinstance(err, NodeSystemError)
        assert str(err) == "connect ECONNREFUSED 127.0.0.1:8124"
        assert (err.errno, err.address, err.port) == (errno.ECONNREFUSED, "127.0.0.1", 8124)


def test_translate_a_failure() -> None:
    failure = Failure(terror.ConnectionRefusedError())
    err = translate(failure, "connect", "::1", 80)
    assert isinstance(err, ConnectionRefusedError)
    assert str(err) == "connect ECONNREFUSED ::1:80"


def test_translate_connection_lost_uses_the_default() -> None:
    err = translate(Failure(terror.ConnectionLost()), "read")
    assert isinstance(err, ConnectionResetError)
    assert str(err) == "read ECONNRESET"
    err = translate(terror.ConnectionLost(), "write", default="EPIPE")
    assert isinstance(err, BrokenPipeError)
    assert str(err) == "write EPIPE"


def test_translate_dns_lookup_error() -> None:
    original = terror.DNSLookupError("address 'nosuch.invalid' not found")
    for value in (original, Failure(original)):
        err = translate(value, "connect", "nosuch.invalid", 80)
        assert isinstance(err, NodeSystemError)
        assert str(err) == "getaddrinfo ENOTFOUND nosuch.invalid"
        assert (err.code, err.syscall, err.hostname) == (  # type: ignore[attr-defined]
            "ENOTFOUND",
            "getaddrinfo",
            "nosuch.invalid",
        )


def test_translate_resolver_errors() -> None:
    err = translate(socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "connect", "x")
    assert str(err) == "getaddrinfo ENOTFOUND x"
    err = translate(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"), "connect", "x")
    assert str(err) == "getaddrinfo EAI_AGAIN x"
    assert err.errno == socket.EAI_AGAIN  # type: ignore[attr-defined]
    unknown_host = terror.getConnectError(socket.gaierror(socket.EAI_NONAME, "not known"))
    assert isinstance(unknown_host, terror.UnknownHostError)
    assert str(translate(unknown_host, "connect", "x", 80)) == "getaddrinfo ENOTFOUND x"


def test_translate_cannot_listen_error() -> None:
    original = terror.CannotListenError(
        "127.0.0.1", 44509, OSError(errno.EADDRINUSE, "Address already in use")
    )
    err = translate(original, "listen", "127.0.0.1", 44509, detailed=True)
    assert type(err) is NodeSystemError
    assert str(err) == "listen EADDRINUSE: address already in use 127.0.0.1:44509"
    assert (err.code, err.errno, err.syscall) == (  # type: ignore[attr-defined]
        "EADDRINUSE",
        errno.EADDRINUSE,
        "listen",
    )
    original = terror.CannotListenError(
        "10.99.99.99", 0, OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")
    )
    err = translate(original, "listen", "10.99.99.99", 0, detailed=True)
    assert str(err) == "listen EADDRNOTAVAIL: address not available 10.99.99.99"


def test_translate_timeouts() -> None:
    for original in (terror.TCPTimedOutError(), terror.TimeoutError(), TimeoutError()):
        err = translate(original, "connect", "10.0.0.1", 80)
        assert isinstance(err, TimeoutError), original
        assert str(err) == "connect ETIMEDOUT 10.0.0.1:80"


def test_translate_passes_twnet_errors_through() -> None:
    mine = make_error("ERR_SOCKET_CLOSED")
    assert translate(mine, "write") is mine
    assert translate(Failure(mine), "write") is mine


def test_translate_real_failures() -> None:
    from twisted.internet import reactor

    with socket.socket() as held, socket.socket() as closed:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(terror.CannotListenError) as info:
            reactor.listenTCP(port, Factory(), interface="127.0.0.1")  # type: ignore[attr-defined]
        err = translate(info.value, "listen", "127.0.0.1", port, detailed=True)
        assert str(err) == f"listen EADDRINUSE: address already in use 127.0.0.1:{port}"

        closed.bind(("127.0.0.1", 0))  # bound, not listening: connecting is refused
        closed_port = closed.getsockname()[1]
        with socket.socket() as client, pytest.raises(ConnectionRefusedError) as refused:
            client.connect(("127.0.0.1", closed_port))
        err = translate(refused.value, "connect", "127.0.0.1", closed_port)
        assert isinstance(err, ConnectionRefusedError)
        assert str(err) == f"connect ECONNREFUSED 127.0.0.1:{closed_port}"


# -- argument errors ---------------------------------------------------------------------------


def named_function() -> None:
    pass


class Thing:
    pass


@pytest.mark.parametrize(
    ("value", "received"),
    [
        (None, "Received None"),
        (named_function, "Received function named_function"),
        (lambda: None, "Received function <lambda>"),
        (5, "Received type int (5)"),
        (-1.5, "Received type float (-1.5)"),
        (True, "Received type bool (True)"),
        ("abc", "Received type str ('abc')"),
        ("it's", 'Received type str ("it\'s")'),
        ("a" * 28, f"Received type str ('{'a' * 28}')"),
        ("a" * 29, f"Received type str ('{'a' * 25}...')"),
        (b"ab", "Received type bytes (b'ab')"),
        (Thing(), "Received an instance of Thing"),
        ({"port": 80}, "Received an instance of dict"),
        ([1], "Received an instance of list"),
    ],
)
def test_describe_received(value: object, received: str) -> None:
    assert describe_received(value) == received
    err = invalid_arg_type("options.host", "string", value)
    assert str(err) == f'The "options.host" property must be of type string. {received}'


def test_invalid_arg_type() -> None:
    err = invalid_arg_type("host", "string", 5)
    assert isinstance(err, NodeTypeError) and isinstance(err, TypeError)
    assert err.code == "ERR_INVALID_ARG_TYPE"
    assert str(err) == 'The "host" argument must be of type string. Received type int (5)'


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ("function", "must be of type function"),
        (["string", "number"], "must be one of type string or number"),
        (["string", "number", "boolean"], "must be one of type string, number, or boolean"),
        (["Buffer"], "must be an instance of Buffer"),
        (["Buffer", "Uint8Array"], "must be an instance of Buffer or Uint8Array"),
        (
            ["string", "Buffer", "TypedArray", "DataView"],
            "must be of type string or an instance of Buffer, TypedArray, or DataView",
        ),
        (["object", "Buffer"], "must be an instance of Buffer or Object"),
    ],
)
def test_invalid_arg_type_expected_kinds(expected: str | list[str], message: str) -> None:
    err = invalid_arg_type("x", expected, 5)
    assert str(err) == f'The "x" argument {message}. Received type int (5)'


def test_socket_bad_port() -> None:
    err = make_error("ERR_SOCKET_BAD_PORT", "options.port", 70000)
    assert isinstance(err, NodeRangeError) and isinstance(err, ValueError)
    assert err.code == "ERR_SOCKET_BAD_PORT"
    assert str(err) == "options.port should be >= 0 and < 65536. Received type int (70000)."
    err = make_error("ERR_SOCKET_BAD_PORT", "Port", -1, False)
    assert str(err) == "Port should be > 0 and < 65536. Received type int (-1)."
    err = make_error("ERR_SOCKET_BAD_PORT", "options.port", "abc")
    assert str(err) == "options.port should be >= 0 and < 65536. Received type str ('abc')."


def test_out_of_range() -> None:
    err = make_error("ERR_OUT_OF_RANGE", "size", "<= 1GiB", 2**31)
    assert isinstance(err, NodeRangeError)
    assert str(err) == (
        'The value of "size" is out of range. It must be <= 1GiB. Received 2147483648'
    )
    err = make_error("ERR_OUT_OF_RANGE", "size", "<= 1GiB", 2**33)
    assert str(err).endswith("Received 8_589_934_592")  # Node's separators past 2**32
    err = make_error("ERR_OUT_OF_RANGE", "x", ">= 0", -2.5)
    assert str(err).endswith("Received -2.5")


def test_invalid_arg_value() -> None:
    err = make_error("ERR_INVALID_ARG_VALUE", "options.host", "a\0b", "must be a clean string")
    assert isinstance(err, NodeTypeError)
    assert str(err) == ("The property 'options.host' must be a clean string. Received 'a\\x00b'")
    err = make_error("ERR_INVALID_ARG_VALUE", "encoding", "x" * 200)
    assert str(err) == "The argument 'encoding' is invalid. Received '" + "x" * 127 + "..."


def test_missing_args() -> None:
    err = make_error("ERR_MISSING_ARGS", "options", "port", "path")
    assert isinstance(err, NodeTypeError)
    assert str(err) == 'The "options" or "port" or "path" argument must be specified'


def test_state_errors() -> None:
    cases = {
        "ERR_SERVER_NOT_RUNNING": "Server is not running.",
        "ERR_SERVER_ALREADY_LISTEN": (
            "Listen method has been called more than once without closing."
        ),
        "ERR_SOCKET_CLOSED": "Socket is closed",
        "ERR_SOCKET_CLOSED_BEFORE_CONNECTION": (
            "Socket closed before the connection was established"
        ),
        "ERR_STREAM_WRITE_AFTER_END": "write after end",
    }
    for code, message in cases.items():
        err = make_error(code)
        assert type(err) is NodeError
        assert (err.code, str(err)) == (code, message)
    err = make_error("ERR_STREAM_DESTROYED", "write")
    assert str(err) == "Cannot call write after a stream was destroyed"


# -- the same messages from Node's own error table ---------------------------------------------

FN = {"function": "named_function"}
INSTANCE = {"instance": "Thing"}


def _python_value(value: Any) -> Any:
    if value == FN:
        return named_function
    if value == INSTANCE:
        return Thing()
    return value


# (code, Python arguments, JavaScript arguments or None for the same, twnet's message).
# In the JavaScript arguments FN / INSTANCE stand for `function named_function() {}` and
# `new Thing()`; Node's message is compared after its JavaScript type names are replaced by
# Python's (see _pythonize).
MESSAGES: list[tuple[str, list[Any], list[Any] | None, str]] = [
    (
        "ERR_INVALID_ARG_TYPE",
        ["listener", "function", 5],
        None,
        'The "listener" argument must be of type function. Received type int (5)',
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["options.host", "string", 5],
        None,
        'The "options.host" property must be of type string. Received type int (5)',
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["options.host", "string", "x" * 40],
        None,
        'The "options.host" property must be of type string. '
        "Received type str ('xxxxxxxxxxxxxxxxxxxxxxxxx...')",
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["x", "string", "it's"],
        None,
        'The "x" argument must be of type string. Received type str ("it\'s")',
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["options.port", ["number", "string"], None],
        None,
        'The "options.port" property must be one of type number or string. Received None',
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["x", ["string", "number", "boolean"], FN],
        None,
        'The "x" argument must be one of type string, number, or boolean. '
        "Received function named_function",
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["chunk", ["string", "Buffer", "TypedArray", "DataView"], INSTANCE],
        None,
        'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, '
        "or DataView. Received an instance of Thing",
    ),
    (
        "ERR_INVALID_ARG_TYPE",
        ["x", ["object", "Buffer"], 5],
        None,
        'The "x" argument must be an instance of Buffer or Object. Received type int (5)',
    ),
    (
        "ERR_SOCKET_BAD_PORT",
        ["options.port", 70000],
        None,
        "options.port should be >= 0 and < 65536. Received type int (70000).",
    ),
    (
        "ERR_SOCKET_BAD_PORT",
        ["Port", -1, False],
        None,
        "Port should be > 0 and < 65536. Received type int (-1).",
    ),
    (
        "ERR_OUT_OF_RANGE",
        ["setMaxListeners", ">= 0", -1],
        None,
        'The value of "setMaxListeners" is out of range. It must be >= 0. Received -1',
    ),
    (
        "ERR_OUT_OF_RANGE",
        ["size", "<= 1GiB", 2**33],
        None,
        'The value of "size" is out of range. It must be <= 1GiB. Received 8_589_934_592',
    ),
    (
        "ERR_INVALID_ARG_VALUE",
        ["options.family", "x", "must be 4 or 6"],
        None,
        "The property 'options.family' must be 4 or 6. Received 'x'",
    ),
    (
        "ERR_INVALID_ARG_VALUE",
        ["encoding", "e" * 200],
        None,
        "The argument 'encoding' is invalid. Received '" + "e" * 127 + "...",
    ),
    (
        "ERR_MISSING_ARGS",
        ["options", "port", "path"],
        [["options", "port", "path"]],
        'The "options" or "port" or "path" argument must be specified',
    ),
    ("ERR_UNHANDLED_ERROR", ["oops"], ["'oops'"], "Unhandled error. ('oops')"),
    ("ERR_UNHANDLED_ERROR", [], None, "Unhandled error."),
    ("ERR_INVALID_IP_ADDRESS", ["zzz"], None, "Invalid IP address: zzz"),
    ("ERR_INVALID_FD_TYPE", ["FILE"], None, "Unsupported fd type: FILE"),
    ("ERR_UNKNOWN_ENCODING", ["utf9"], None, "Unknown encoding: utf9"),
    ("ERR_STREAM_DESTROYED", ["write"], None, "Cannot call write after a stream was destroyed"),
    ("ERR_STREAM_ALREADY_FINISHED", ["end"], None, "Cannot call end after a stream was finished"),
    ("ERR_METHOD_NOT_IMPLEMENTED", ["_read()"], None, "The _read() method is not implemented"),
]
# Every code of the registry that takes no argument, with its message.
MESSAGES += [
    (code, [], None, template)
    for code, (kind, template) in _errors._MESSAGES.items()
    if isinstance(template, str) and "{}" not in template and code not in _errors.NATIVE_CODES
]

KIND_NAMES = {NodeTypeError: "TypeError", NodeRangeError: "RangeError", NodeError: "Error"}


@pytest.mark.parametrize(("code", "args", "js_args", "message"), MESSAGES)
def test_message(code: str, args: list[Any], js_args: Any, message: str) -> None:
    err = make_error(code, *[_python_value(a) for a in args])
    assert str(err) == message
    assert err.code == code


_NODE_MESSAGES = r"""
const { codes } = require('internal/errors');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
class Thing {}
function named_function() {}
const value = (v) => {
  if (v && v.function === 'named_function') return named_function;
  if (v && v.instance === 'Thing') return new Thing();
  return v;
};
console.log(JSON.stringify(cases.map(([code, args]) => {
  const err = new codes[code](...args.map(value));
  return [err.name, err.message];
})));
"""


def _pythonize(message: str) -> str:
    """Node's message with JavaScript's type names and values as twnet spells them."""
    message = message.replace("Received null", "Received None")
    message = message.replace("Received type string (", "Received type str (")
    return re.sub(r"Received type number \((-?\d+)\)", r"Received type int (\1)", message)


def test_node_builds_the_same_messages() -> None:
    node = _node()
    cases = [[code, args if js_args is None else js_args] for code, args, js_args, _ in MESSAGES]
    proc = subprocess.run(
        [node, "--expose-internals", "-e", _NODE_MESSAGES],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    results = json.loads(proc.stdout)
    for (code, args, _, message), (name, node_message) in zip(MESSAGES, results, strict=True):
        kind = type(make_error(code, *[_python_value(a) for a in args])).__mro__
        assert KIND_NAMES[next(k for k in kind if k in KIND_NAMES)] == name, code
        assert _pythonize(node_message) == message, code


def test_node_knows_every_registered_code() -> None:
    node = _node()
    script = (
        "const { codes } = require('internal/errors');"
        "console.log(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))"
        ".filter((code) => !(code in codes))))"
    )
    proc = subprocess.run(
        [node, "--expose-internals", "-e", script],
        input=json.dumps([code for code in _errors._MESSAGES if code not in _errors.NATIVE_CODES]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(proc.stdout) == []


# -- the same system errors from real failures in Node and in twnet ----------------------------

_NODE_SYSTEM_ERRORS = r"""
const net = require('net');
const { closedPort, usedPort, sockPath } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
const pick = (e) => ({ code: e.code, errno: e.errno, syscall: e.syscall,
  address: e.address ?? null, port: e.port ?? null, message: e.message });
let pending = 4;
const done = (key) => (e) => {
  out[key] = pick(e);
  if (--pending === 0) console.log(JSON.stringify(out));
};
net.connect(closedPort, '127.0.0.1').on('error', done('refused'));
net.createServer().listen(usedPort, '127.0.0.1').on('error', done('inuse'));
net.connect(sockPath).on('error', done('enoent'));
net.createServer().listen(0, '10.99.99.99').on('error', done('notavail'));
"""


@pytest.fixture
def ports() -> Iterator[tuple[int, int]]:
    """A port bound but not listening (connecting is refused) and a port listened on."""
    with socket.socket() as closed, socket.socket() as used:
        closed.bind(("127.0.0.1", 0))
        used.bind(("127.0.0.1", 0))
        used.listen()
        yield closed.getsockname()[1], used.getsockname()[1]


def _pick(err: Any) -> dict[str, Any]:
    return {
        "code": err.code,
        "syscall": err.syscall,
        "address": err.address,
        "port": err.port,
        "message": str(err),
    }


def _twnet_system_errors(closed_port: int, used_port: int, sock_path: str) -> dict[str, Any]:
    from twisted.internet import reactor

    out: dict[str, Any] = {}
    with socket.socket() as client, pytest.raises(OSError) as refused:
        client.connect(("127.0.0.1", closed_port))
    out["refused"] = translate(refused.value, "connect", "127.0.0.1", closed_port)
    with pytest.raises(terror.CannotListenError) as in_use:
        reactor.listenTCP(used_port, Factory(), interface="127.0.0.1")  # type: ignore[attr-defined]
    out["inuse"] = translate(in_use.value, "listen", "127.0.0.1", used_port, detailed=True)
    with socket.socket(socket.AF_UNIX) as client, pytest.raises(OSError) as missing:
        client.connect(sock_path)
    out["enoent"] = translate(missing.value, "connect", sock_path)
    with pytest.raises(terror.CannotListenError) as not_available:
        reactor.listenTCP(0, Factory(), interface="10.99.99.99")  # type: ignore[attr-defined]
    out["notavail"] = translate(not_available.value, "listen", "10.99.99.99", 0, detailed=True)
    return out


@pytest.mark.skipif(sys.platform != "linux", reason="errno numbers compared as on Linux")
def test_node_system_errors_from_real_failures(ports: tuple[int, int], tmp_path: Path) -> None:
    closed_port, used_port = ports
    sock_path = str(tmp_path / "x.sock")
    mine = _twnet_system_errors(closed_port, used_port, sock_path)
    assert str(mine["refused"]) == f"connect ECONNREFUSED 127.0.0.1:{closed_port}"
    assert isinstance(mine["refused"], ConnectionRefusedError)
    assert str(mine["inuse"]) == f"listen EADDRINUSE: address already in use 127.0.0.1:{used_port}"
    assert str(mine["enoent"]) == f"connect ENOENT {sock_path}"
    assert isinstance(mine["enoent"], FileNotFoundError)
    assert str(mine["notavail"]) == "listen EADDRNOTAVAIL: address not available 10.99.99.99"
    assert all(isinstance(err, NodeSystemError) for err in mine.values())

    node = _node()
    proc = subprocess.run(
        [node, "-e", _NODE_SYSTEM_ERRORS],
        input=json.dumps({"closedPort": closed_port, "usedPort": used_port, "sockPath": sock_path}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    theirs = json.loads(proc.stdout)
    for key, err in mine.items():
        node_err = dict(theirs[key])
        assert -node_err.pop("errno") == err.errno, key  # libuv's numbers are -errno on Linux
        assert _pick(err) == node_err, key


# -- nobody but _errors.py builds Node errors --------------------------------------------------

# Exceptions twnet must never raise bare: Node's TypeError / RangeError / system errors are
# built by _errors.py (make_error, invalid_arg_type, system_error, translate).
_BARE = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, (TypeError, ValueError, OSError))
} | {"Exception", "BaseException"}
_ERROR_CLASSES = {
    name
    for name, value in vars(_errors).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}
_NODE_CLASS = re.compile(r"^Node\w*Error$")
_NODE_CODE = re.compile(r"\bERR_[A-Z0-9_]+\b")
_NODE_MESSAGE = re.compile(
    r"argument must be|property must be|Received (type|an instance|function|None)"
    r"|should be >=? 0 and < 65536|is out of range|must be specified|Unhandled error"
)
_BUILDERS = {"make_error", "invalid_arg_type", "system_error", "tls_error", "translate"}


def _called_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _strings(node: ast.AST) -> Iterator[ast.Constant]:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.Expr)


def error_building_violations(source: str, filename: str = "<source>") -> list[str]:
    """Where *source* builds a Node error or formats a Node error message itself."""
    tree = ast.parse(source, filename)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[str] = []

    def where(node: ast.AST) -> str:
        return f"{filename}:{getattr(node, 'lineno', '?')}"

    # A code literal is fine as the first argument of a builder (make_error("ERR_X", ...)).
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node.func) in _BUILDERS and node.args:
            allowed.add(id(node.args[0]))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node.func)
            if name is not None and (name in _ERROR_CLASSES or _NODE_CLASS.match(name)):
                found.append(f"{where(node)}: constructs {name}")
            if (
                name == "setattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "code"
            ):
                found.append(f"{where(node)}: sets a code by hand")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = _called_name(base)
                if name is not None and (name in _ERROR_CLASSES or _NODE_CLASS.match(name)):
                    found.append(f"{where(node)}: subclasses {name}")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = _called_name(exc)
            if name in _BARE:
                found.append(f"{where(node)}: raises a bare {name}")
            for const in _strings(node.exc):
                if _NODE_CODE.search(const.value) and id(const) not in allowed:
                    found.append(f"{where(const)}: raises with a hand-written code")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if (
                any(isinstance(t, ast.Attribute) and t.attr == "code" for t in targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.append(f"{where(node)}: sets a code by hand")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _NODE_MESSAGE.search(node.value)
            and not _is_docstring(node, parents)
        ):
            found.append(f"{where(node)}: formats a Node error message")
    return found


def _twnet_modules() -> list[Path]:
    return sorted(p for p in TWNET.rglob("*.py") if p.name != "_errors.py")


def test_only_errors_module_builds_node_errors() -> None:
    violations = []
    for path in _twnet_modules():
        source = path.read_text(encoding="utf-8")
        violations += error_building_violations(source, str(path.relative_to(TWNET.parent)))
    assert violations == []


def test_errors_module_itself_would_be_flagged() -> None:
    # the check is not vacuous: the module that does build errors is caught by it
    source = (TWNET / "_errors.py").read_text(encoding="utf-8")
    violations = error_building_violations(source)
    assert any("formats a Node error message" in v for v in violations)


@pytest.mark.parametrize(
    ("source", "verdict"),
    [
        ('raise make_error("ERR_SOCKET_CLOSED")', None),
        ('raise _errors.make_error("ERR_OUT_OF_RANGE", "x", ">= 0", n)', None),
        ('err = make_error("ERR_STREAM_DESTROYED", "write")', None),
        ('raise invalid_arg_type("host", "string", host)', None),
        ('raise system_error("ECONNREFUSED", "connect", host, port)', None),
        ('if err.code == "ERR_STREAM_PREMATURE_CLOSE":\n    pass', None),
        ('def f():\n    """Raises ERR_SOCKET_CLOSED, Received type ..."""', None),
        ("raise RuntimeError('twnet.run() is already running')", None),
        ("raise AttributeError(name) from None", None),
        ("raise error", None),
        ('raise NodeError("Socket is closed", "ERR_SOCKET_CLOSED")', "constructs NodeError"),
        ('raise net.NodeTypeError("bad")', "constructs NodeTypeError"),
        ("raise NodeConnectionRefusedError('x')", "constructs NodeConnectionRefusedError"),
        ("class Mine(NodeError):\n    pass", "subclasses NodeError"),
        ("raise TypeError('bad port')", "raises a bare TypeError"),
        ("raise ConnectionRefusedError(111, 'x')", "raises a bare ConnectionRefusedError"),
        ('raise wrap("ERR_SOCKET_CLOSED")', "raises with a hand-written code"),
        ('raise make_error(code or "ERR_SOCKET_CLOSED")', "raises with a hand-written code"),
        ('err.code = "ERR_SOCKET_CLOSED"', "sets a code by hand"),
        ('setattr(err, "code", "ECONNRESET")', "sets a code by hand"),
        (
            "msg = f'The \"{name}\" argument must be of type string. Received {value!r}'",
            "formats a Node error message",
        ),
        ('fail(f"{name} should be >= 0 and < 65536.")', "formats a Node error message"),
    ],
)
def test_error_building_check(source: str, verdict: str | None) -> None:
    violations = error_building_violations(source)
    if verdict is None:
        assert violations == []
    else:
        assert any(verdict in v for v in violations), violations
