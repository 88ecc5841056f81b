"""Bad arguments at the public entry points: Node's error at once, nothing left half-done.

Each expectation was taken from Node 24 running the same call. After every raise the test
checks the object's state and that no descriptor was opened (``/proc/self/fd``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import reactor
from twisted.internet.defer import Deferred

import twnet
from tests._sockets import next_turn
from twnet import NodeError, NodeRangeError, NodeTypeError, once

TIMEOUT = 5.0


def _fds() -> list[str]:
    """The sockets this process has open (not the reactor's pipes, nor pytest's files)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:"):
            found.append(target)
    return sorted(found)


@pytest.fixture
def fds() -> Iterator[None]:
    """The test opens no socket that it does not close."""
    before = _fds()
    yield
    assert _fds() == before


async def _event(emitter: Any, name: str) -> list[Any]:
    d: Deferred[list[Any]] = once(emitter, name)
    d.addTimeout(TIMEOUT, reactor)
    return await d


def _raises(kind: type[NodeError], code: str, message: str | None, fn: Any, *args: Any) -> None:
    with pytest.raises(kind) as info:
        fn(*args)
    assert info.value.code == code
    if message is not None:
        assert info.value.message == message


# -- Socket.connect -----------------------------------------------------------------------

MISSING = 'The "options" or "port" or "path" argument must be specified'


@pytest.mark.parametrize("args", [([],), (object(),), ({"endpoint": 5},), ({},), ()])
def test_connect_missing_args(args: tuple[Any, ...], fds: None) -> None:
    sock = twnet.Socket()
    _raises(NodeTypeError, "ERR_MISSING_ARGS", MISSING, sock.connect, *args)
    assert not sock.connecting and not sock.destroyed
    assert sock.listenerCount("connect") == 0


@pytest.mark.parametrize(
    ("options", "kind", "code", "message"),
    [
        (
            {"port": True},
            NodeTypeError,
            "ERR_INVALID_ARG_TYPE",
            'The "options.port" property must be one of type number or string. '
            "Received type bool (True)",
        ),
        (
            {"port": math.inf},
            NodeRangeError,
            "ERR_SOCKET_BAD_PORT",
            "Port should be >= 0 and < 65536. Received type float (inf).",
        ),
        ({"port": 10**400}, NodeRangeError, "ERR_SOCKET_BAD_PORT", None),
        (
            {"port": None},  # a present key holding None is null: Node's connect(null)
            NodeTypeError,
            "ERR_INVALID_ARG_TYPE",
            'The "options.port" property must be one of type number or string. Received None',
        ),
        ({"port": ""}, NodeRangeError, "ERR_SOCKET_BAD_PORT", None),
        (
            {"port": 80, "host": "a\0b"},
            NodeTypeError,
            "ERR_INVALID_ARG_VALUE",
            "The property 'options.host' must be a string without null bytes. Received 'a\\x00b'",
        ),
        ({"port": 80, "host": 5}, NodeTypeError, "ERR_INVALID_ARG_TYPE", None),
        ({"port": 1, "localAddress": "x"}, NodeTypeError, "ERR_INVALID_IP_ADDRESS", None),
        ({"port": 1, "localPort": "x"}, NodeTypeError, "ERR_INVALID_ARG_TYPE", None),
        (
            {"port": 1, "host": "localhost", "family": 5},
            NodeTypeError,
            "ERR_INVALID_ARG_VALUE",
            "The property 'options.family' must be one of: 0, 4, 6. Received 5",
        ),
        (
            {"port": 1, "host": "localhost", "hints": -1},
            NodeTypeError,
            "ERR_INVALID_ARG_VALUE",
            "The argument 'hints' is invalid. Received 4294967295",
        ),
        (
            {"port": 1, "host": "localhost", "hints": "x"},
            NodeTypeError,
            "ERR_INVALID_ARG_TYPE",
            None,
        ),
        (
            {"port": 1, "host": "localhost", "lookup": 5},
            NodeTypeError,
            "ERR_INVALID_ARG_TYPE",
            None,
        ),
        (
            {"port": 1, "host": "localhost", "autoSelectFamilyAttemptTimeout": 1.5},
            NodeRangeError,
            "ERR_OUT_OF_RANGE",
            'The value of "options.autoSelectFamilyAttemptTimeout" is out of range. '
            "It must be an integer. Received 1.5",
        ),
        (
            {"port": 1, "host": "localhost", "autoSelectFamily": 1},
            NodeTypeError,
            "ERR_INVALID_ARG_TYPE",
            None,
        ),
        ({"path": 5}, NodeTypeError, "ERR_INVALID_ARG_TYPE", None),
    ],
)
def test_connect_bad_options(
    options: dict[str, Any], kind: type[NodeError], code: str, message: str | None, fds: None
) -> None:
    sock = twnet.Socket()
    _raises(kind, code, message, sock.connect, options, lambda: None)
    assert not sock.connecting and sock.listenerCount("connect") == 0


@pytest.mark.parametrize(
    "options",
    [
        {"port": 1, "host": "127.0.0.1", "family": 5},  # an IP: Node looks no further
        {"port": 1, "host": "127.0.0.1", "lookup": 5},
        {"port": 1, "host": "localhost", "family": "IPv4"},  # Node 24 reads the name
        # (one address tried: no attempt timeout to race on a loaded machine)
        {"port": 1, "host": "localhost", "hints": math.nan, "autoSelectFamily": False},
    ],
)
@pytest_twisted.ensureDeferred
async def test_connect_accepts_what_node_accepts(options: dict[str, Any], fds: None) -> None:
    sock = twnet.Socket()
    sock.connect(options)
    assert sock.connecting
    err = (await _event(sock, "error"))[0]
    assert err.code == "ECONNREFUSED"
    await _event(sock, "close")


# -- Socket methods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msecs", "kind", "code"),
    [
        (10**400, NodeRangeError, "ERR_OUT_OF_RANGE"),
        (math.nan, NodeRangeError, "ERR_OUT_OF_RANGE"),
        (-1, NodeRangeError, "ERR_OUT_OF_RANGE"),
        ("5", NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        (None, NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        (True, NodeTypeError, "ERR_INVALID_ARG_TYPE"),
    ],
)
def test_set_timeout_bad(msecs: Any, kind: type[NodeError], code: str) -> None:
    sock = twnet.Socket()
    _raises(kind, code, None, sock.setTimeout, msecs)
    assert sock.timeout is None


def test_set_timeout_callback_checked_first() -> None:
    sock = twnet.Socket()
    _raises(NodeTypeError, "ERR_INVALID_ARG_TYPE", None, sock.setTimeout, 5, 5)
    assert sock.timeout is None and sock.listenerCount("timeout") == 0


def test_set_timeout_on_destroyed_socket_does_nothing() -> None:
    sock = twnet.Socket()
    sock.destroy()
    assert sock.setTimeout("x") is sock  # Node returns before looking at the arguments
    assert sock.timeout is None


def test_set_timeout_huge_is_cut_to_timeout_max() -> None:
    sock = twnet.Socket()
    with pytest.warns(twnet.timers.TimeoutOverflowWarning) as caught:
        sock.setTimeout(2**31 + 5)
    # Node 24's text, word for word.
    assert [str(w.message) for w in caught] == [
        "2147483653 does not fit into a 32-bit signed integer.\n"
        "Timer duration was truncated to 2147483647."
    ]
    assert sock.timeout == 2**31 + 5  # Node keeps what it was given in socket.timeout
    assert sock._timeout_ms == 2**31 - 1
    sock.setTimeout(0)


@pytest_twisted.ensureDeferred
async def test_connect_timeout_huge_warns_once() -> None:
    """net.connect checks ``timeout`` before connecting and sets it after: one warning, as
    Node's single setTimeout call gives."""
    with pytest.warns(twnet.timers.TimeoutOverflowWarning) as caught:
        sock = twnet.connect({"port": 9, "host": "127.0.0.1", "timeout": 2**40})
    sock.destroy()
    await _event(sock, "close")
    assert len(caught) == 1
    assert sock.timeout == 2**40


# -- Server -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.inf, math.nan, 1.5, 2**53, -1])
def test_create_server_high_water_mark_numbers(value: float) -> None:
    server = twnet.createServer({"highWaterMark": value})
    if value == -1:
        assert server.highWaterMark is None  # Node: the default
    else:
        assert server.highWaterMark is value


@pytest.mark.parametrize("value", ["16", True, None, [1]])
def test_create_server_options(value: Any) -> None:
    if value is None:
        assert twnet.createServer({"highWaterMark": None}).highWaterMark is None
        return
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        None,
        twnet.createServer,
        {"highWaterMark": value},
    )


def test_create_server_keep_alive_delay() -> None:
    for value in (math.inf, math.nan, -1, 10**400):
        assert twnet.createServer({"keepAliveInitialDelay": value}).keepAliveInitialDelay == 0
    assert twnet.createServer({"keepAliveInitialDelay": 2500}).keepAliveInitialDelay == 2


@pytest.mark.parametrize("options", [5, "x", True])
def test_create_server_options_type(options: Any) -> None:
    _raises(NodeTypeError, "ERR_INVALID_ARG_TYPE", None, twnet.createServer, options)


def test_create_server_ignores_non_function_listener() -> None:
    server = twnet.createServer({}, 5)
    assert server.listenerCount("connection") == 0
    assert twnet.createServer([]).listenerCount("connection") == 0  # an array: no option


@pytest.mark.parametrize(
    ("args", "kind", "code"),
    [
        ((0, "a\0b"), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
        (({"port": 0, "host": 5},), NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        ((math.inf,), NodeRangeError, "ERR_SOCKET_BAD_PORT"),
        ((10**400,), NodeRangeError, "ERR_SOCKET_BAD_PORT"),
        (("",), NodeRangeError, "ERR_SOCKET_BAD_PORT"),
        (("Infinity",), NodeRangeError, "ERR_SOCKET_BAD_PORT"),
        (({"port": True},), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
        (({},), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
        (({"fd": -1},), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
        (({"fd": math.nan},), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
        (([],), NodeTypeError, "ERR_INVALID_ARG_VALUE"),
    ],
)
def test_listen_raises(args: tuple[Any, ...], kind: type[NodeError], code: str, fds: None) -> None:
    server = twnet.createServer()
    _raises(kind, code, None, server.listen, *args, lambda: None)
    assert not server.listening and server.listenerCount("listening") == 0
    assert server.address() is None


@pytest.mark.parametrize("fd", [2**31, 1 << 20, 1.5, 10**400])
@pytest_twisted.ensureDeferred
async def test_listen_bad_fd_fails_asynchronously(fd: Any, fds: None) -> None:
    server = twnet.createServer()
    server.listen({"fd": fd})
    err = (await _event(server, "error"))[0]
    assert err.code == "EINVAL"
    assert err.message == "listen EINVAL: invalid argument"
    assert not server.listening
    # Nothing is left half-listening: the server listens again.
    server.listen(0, "127.0.0.1")
    await _event(server, "listening")
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest_twisted.ensureDeferred
async def test_listen_backlog_any_value(fds: None) -> None:
    for backlog in (10**400, math.nan, "x", -5, [], {}):
        server = twnet.createServer()
        server.listen({"port": 0, "host": "127.0.0.1", "backlog": backlog})
        await _event(server, "listening")
        server.close()
        await _event(server, "close")
    server = twnet.createServer()
    server.listen(0, "127.0.0.1", 10**400)
    await _event(server, "listening")
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest.mark.parametrize(("text", "port"), [("0x0", 0), ("  0 ", 0), ("0e3", 0), ("\ufeff0", 0)])
@pytest_twisted.ensureDeferred
async def test_listen_numeric_strings(text: str, port: int, fds: None) -> None:
    server = twnet.createServer()
    server.listen(text, "127.0.0.1")
    await _event(server, "listening")
    assert server.address()["port"] > 0  # port 0: a free port
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest.mark.parametrize("name", ["1_000", "\u0661\u0662", "0x", "inf"])
@pytest_twisted.ensureDeferred
async def test_listen_non_numbers_are_paths(name: str, tmp_path: Any) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        server = twnet.createServer()
        server.listen(name)
        await _event(server, "listening")
        assert server.address() == name
        assert (tmp_path / name).exists()
        server.close()
        await _event(server, "close")
    finally:
        os.chdir(cwd)


def test_server_close_ignores_non_function() -> None:
    server = twnet.createServer()
    for value in (5, "x"):
        assert server.close(value) is server
    assert server.listenerCount("close") == 0


def test_get_connections_needs_a_function() -> None:
    server = twnet.createServer()
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        'The "callback" argument must be of type function. Received type int (5)',
        server.getConnections,
        5,
    )


@pytest_twisted.ensureDeferred
async def test_write_and_end_ignore_a_callback_that_is_no_function(fds: None) -> None:
    server = twnet.createServer(lambda conn: conn.resume())
    server.listen(0, "127.0.0.1")
    await _event(server, "listening")
    sock = twnet.connect(server.address()["port"], "127.0.0.1")
    await _event(sock, "connect")
    assert sock.write(b"x", None, 5) is True
    sock.end(b"y", None, 5)
    await _event(sock, "finish")
    sock.destroy()
    await _event(sock, "close")
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest_twisted.ensureDeferred
async def test_host_with_a_lone_surrogate_fails_the_lookup(fds: None) -> None:
    sock = twnet.Socket()
    sock.connect({"port": 80, "host": "\ud800x"})
    err = (await _event(sock, "error"))[0]
    assert (err.code, err.syscall, err.message) == (
        "EINVAL",
        "getaddrinfo",
        "getaddrinfo EINVAL \ud800x",
    )
    await _event(sock, "close")
    server = twnet.createServer()
    server.listen(0, "\ud800x")
    err = (await _event(server, "error"))[0]
    assert (err.code, err.message) == ("EINVAL", "getaddrinfo EINVAL \ud800x")
    assert not server.listening


# -- the Socket constructor ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fd", "kind", "code", "message"),
    [
        (
            -1,
            NodeRangeError,
            "ERR_OUT_OF_RANGE",
            'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received -1',
        ),
        (2**32, NodeRangeError, "ERR_OUT_OF_RANGE", None),
        (
            1.5,
            NodeRangeError,
            "ERR_OUT_OF_RANGE",
            'The value of "fd" is out of range. It must be an integer. Received 1.5',
        ),
        (math.nan, NodeRangeError, "ERR_OUT_OF_RANGE", None),
        (10**400, NodeRangeError, "ERR_OUT_OF_RANGE", None),
        (1 << 20, NodeTypeError, "ERR_INVALID_FD_TYPE", "Unsupported fd type: UNKNOWN"),
    ],
)
def test_socket_bad_fd(
    fd: Any, kind: type[NodeError], code: str, message: str | None, fds: None
) -> None:
    _raises(kind, code, message, twnet.Socket, fd)
    _raises(kind, code, message, twnet.Socket, {"fd": fd})


def test_socket_fd_of_a_file_or_udp_socket(tmp_path: Any, fds: None) -> None:
    with open(tmp_path / "f", "wb") as file:
        _raises(
            NodeTypeError,
            "ERR_INVALID_FD_TYPE",
            "Unsupported fd type: FILE",
            twnet.Socket,
            file.fileno(),
        )
    import socket as pysocket

    with pysocket.socket(pysocket.AF_INET, pysocket.SOCK_DGRAM) as udp:
        _raises(
            NodeTypeError,
            "ERR_INVALID_FD_TYPE",
            "Unsupported fd type: UDP",
            twnet.Socket,
            udp.fileno(),
        )
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        "The \"fd\" argument must be of type number. Received type str ('x')",
        twnet.Socket,
        {"fd": "x"},
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"objectMode": True}, "The property 'options.objectMode' is not supported. Received True"),
        (
            {"readableObjectMode": 1},
            "The property 'options.readableObjectMode' is not supported. Received 1",
        ),
        (
            {"readableObjectMode": False, "writableObjectMode": "x"},
            "The property 'options.writableObjectMode' is not supported. Received 'x'",
        ),
    ],
)
def test_socket_refuses_object_mode(options: dict[str, Any], message: str) -> None:
    _raises(NodeTypeError, "ERR_INVALID_ARG_VALUE", message, twnet.Socket, options)


def test_socket_accepts_false_object_mode_and_any_non_number() -> None:
    for options in ({"objectMode": 0}, "x", True, [], None):
        assert not twnet.Socket(options).connecting


@pytest.mark.parametrize("encoding", ["", "x", 5])
def test_socket_default_encoding(encoding: Any) -> None:
    _raises(
        NodeTypeError,
        "ERR_UNKNOWN_ENCODING",
        f"Unknown encoding: {encoding}",
        twnet.Socket,
        {"defaultEncoding": encoding},
    )


def test_socket_encoding_option() -> None:
    assert twnet.Socket({"encoding": ""}).readableEncoding is None  # falsy: none
    for bad in ("x", 5):
        _raises(NodeTypeError, "ERR_UNKNOWN_ENCODING", None, twnet.Socket, {"encoding": bad})


# -- Socket methods on a connection -------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_connected_socket_methods_take_any_value(fds: None) -> None:
    server = twnet.createServer(lambda conn: conn.end(b"hello"))
    server.listen(0, "127.0.0.1")
    await _event(server, "listening")
    sock = twnet.connect(server.address()["port"], "127.0.0.1")
    await _event(sock, "connect")
    # Node ignores the kernel's EINVAL for a keep-alive delay over 32767 s.
    assert sock.setKeepAlive(True, 40_000_000) is sock
    for delay in (math.nan, "x", -5000, 10**400, [], "5000"):
        assert sock.setKeepAlive(True, delay) is sock
    for value in (None, 0, "", "x", [], math.nan):
        assert sock.setNoDelay(value) is sock
    await _event(sock, "readable")
    for size in (math.nan, [], "x", math.inf, -1, 1.5):
        sock.read(size)  # Node never throws here
    assert sock.read("5") in (b"hello", None)
    sock.destroy()
    await _event(sock, "close")
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


def test_read_size_too_large() -> None:
    sock = twnet.Socket()
    _raises(NodeRangeError, "ERR_OUT_OF_RANGE", None, sock.read, 2**31)
    sock.destroy()


def test_net_connect_bad_timeout_leaves_nothing(fds: None) -> None:
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        None,
        twnet.connect,
        {"port": 1, "host": "127.0.0.1", "timeout": "x"},
    )
    _raises(NodeRangeError, "ERR_OUT_OF_RANGE", None, twnet.connect, {"port": 1, "timeout": -1})


def test_default_attempt_timeout() -> None:
    before = twnet.getDefaultAutoSelectFamilyAttemptTimeout()
    try:
        twnet.setDefaultAutoSelectFamilyAttemptTimeout(1000.0)
        assert twnet.getDefaultAutoSelectFamilyAttemptTimeout() == 1000
        for bad, kind, code in (
            (0.0, NodeRangeError, "ERR_OUT_OF_RANGE"),
            (-1.5, NodeRangeError, "ERR_OUT_OF_RANGE"),
            (math.nan, NodeRangeError, "ERR_OUT_OF_RANGE"),
            ("5", NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        ):
            _raises(kind, code, None, twnet.setDefaultAutoSelectFamilyAttemptTimeout, bad)
        _raises(NodeTypeError, "ERR_INVALID_ARG_TYPE", None, twnet.setDefaultAutoSelectFamily, 1)
    finally:
        twnet.setDefaultAutoSelectFamilyAttemptTimeout(before)


# -- EventEmitter -------------------------------------------------------------------------


def test_event_names_python_cannot_hash() -> None:
    emitter = twnet.EventEmitter()
    seen: list[Any] = []

    def listener(value: Any) -> None:
        seen.append(value)

    emitter.on({}, listener)
    emitter.once([1, 2], listener)
    # Node stores events under property keys: {} is '[object Object]', [1, 2] is '1,2'.
    assert emitter.eventNames() == ["[object Object]", "1,2"]
    assert emitter.emit({"a": 1}, "x") is True
    assert emitter.listenerCount([1, 2]) == 1 and emitter.listeners({}) == [listener]
    assert emitter.emit("1,2", "y") is True
    assert seen == ["x", "y"]
    emitter.off({}, listener)
    assert emitter.eventNames() == []
    emitter.on([], listener)
    emitter.removeAllListeners([])
    assert emitter.rawListeners([]) == [] and emitter.eventNames() == []


@pytest.mark.parametrize("method", ["on", "once", "off", "prependListener", "prependOnceListener"])
def test_listener_must_be_a_function(method: str) -> None:
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        'The "listener" argument must be of type function. Received type int (5)',
        getattr(twnet.EventEmitter(), method),
        "x",
        5,
    )


def test_set_max_listeners() -> None:
    emitter = twnet.EventEmitter()
    for n in (1.5, math.inf, 0, 2**53):
        assert emitter.setMaxListeners(n).getMaxListeners() == n
    for bad, kind, code in (
        (math.nan, NodeRangeError, "ERR_OUT_OF_RANGE"),
        (-1, NodeRangeError, "ERR_OUT_OF_RANGE"),
        ("x", NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        (None, NodeTypeError, "ERR_INVALID_ARG_TYPE"),
        (True, NodeTypeError, "ERR_INVALID_ARG_TYPE"),
    ):
        _raises(kind, code, None, emitter.setMaxListeners, bad)
    assert emitter.getMaxListeners() == 2**53


@pytest_twisted.ensureDeferred
async def test_max_connections_of_any_value(fds: None) -> None:
    server = twnet.createServer(lambda conn: conn.end())
    server.maxConnections = "x"  # Node: 0 >= NaN is false, no limit
    server.listen(0, "127.0.0.1")
    await _event(server, "listening")
    sock = twnet.connect(server.address()["port"], "127.0.0.1")
    sock.resume()
    await _event(sock, "connect")
    await _event(sock, "close")
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


# -- streams ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", [[], (), {}, "bogus", 5])
def test_write_checks_the_encoding_before_the_chunk(encoding: Any) -> None:
    sock = twnet.Socket()
    for chunk in ("", b"ab", 0.0, None):
        _raises(NodeTypeError, "ERR_UNKNOWN_ENCODING", None, sock.write, chunk, encoding)
        if chunk is not None:  # end(None, ...) writes nothing, so checks nothing
            _raises(NodeTypeError, "ERR_UNKNOWN_ENCODING", None, sock.end, chunk, encoding)
    assert not sock.writableEnded
    sock.destroy()


def test_write_falsy_encoding_is_the_default() -> None:
    sock = twnet.Socket()
    sock.cork()
    for encoding in (0, math.nan, "", False):
        assert sock.write("x", encoding) is True
    assert sock.writableLength == 4
    sock.destroy()


def test_unshift_string_with_an_encoding_that_is_no_string() -> None:
    sock = twnet.Socket()
    for encoding in ({}, (), [1], 5):
        sock.unshift("é", encoding)  # Node: Buffer.from(chunk, <not a string>) is utf8
    assert sock.readableLength == 8
    _raises(NodeTypeError, "ERR_UNKNOWN_ENCODING", None, sock.unshift, "x", "bogus")
    sock.destroy()


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        (None, "Cannot read properties of undefined (reading 'on')"),
        ([], "dest.on is not a function"),
        ({}, "dest.on is not a function"),
        (5, "dest.on is not a function"),
    ],
)
def test_pipe_to_something_that_is_no_stream(destination: Any, message: str) -> None:
    sock = twnet.Socket()
    with pytest.raises(NodeTypeError) as info:
        sock.pipe(destination)
    assert info.value.code == "" and info.value.message == message
    assert sock._readableState.pipes == ()  # nothing recorded (Node records it first)


@pytest.mark.parametrize("error", [0, "", False, math.nan])
@pytest_twisted.ensureDeferred
async def test_destroy_with_a_falsy_error_is_no_error(error: Any) -> None:
    sock = twnet.Socket()
    sock.destroy(error)
    assert sock.errored is None
    (had_error,) = await _event(sock, "close")
    assert had_error is False


@pytest.mark.parametrize("signal", [5, "x", [{}], {"b": 1}, object()])
def test_socket_signal_must_be_an_abort_signal(signal: Any) -> None:
    _raises(NodeTypeError, "ERR_INVALID_ARG_TYPE", None, twnet.Socket, {"signal": signal})
    assert twnet.Socket({"signal": 0}).destroyed is False  # falsy: no signal


# -- UNIX paths ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_unix_path_with_a_lone_surrogate(tmp_path: Any, fds: None) -> None:
    # Node 24 binds JavaScript's UTF-8 of the path (U+FFFD for the surrogate) and reports
    # the path as given.
    path = str(tmp_path / "\ud800y.sock")
    server = twnet.createServer()
    server.listen(path)
    await _event(server, "listening")
    assert server.address() == path
    assert os.listdir(tmp_path) == ["\ufffdy.sock"]
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's
    sock = twnet.connect(str(tmp_path / "\ud800x.sock"))
    err = (await _event(sock, "error"))[0]
    assert (err.code, err.message) == ("ENOENT", f"connect ENOENT {tmp_path}/\ud800x.sock")
    assert err.address == f"{tmp_path}/\ufffdx.sock"
    await _event(sock, "close")


@pytest_twisted.ensureDeferred
async def test_unix_path_with_a_nul(tmp_path: Any, fds: None) -> None:
    path = f"{tmp_path}/a\0b"
    server = twnet.createServer()
    server.listen(path)
    err = (await _event(server, "error"))[0]
    assert (err.code, err.message) == ("EINVAL", f"listen EINVAL: invalid argument {path}")
    assert os.listdir(tmp_path) == []  # Python alone would bind the part before the NUL
    sock = twnet.connect(path)
    err = (await _event(sock, "error"))[0]
    assert (err.code, err.message) == (
        "EINVAL",
        f"connect EINVAL {path} - Local (undefined:undefined)",
    )
    await _event(sock, "close")


@pytest.mark.parametrize("signal", [{}, 5, "x", [], object()])
def test_listen_checks_its_signal_first(signal: Any, fds: None) -> None:
    server = twnet.createServer()
    _raises(
        NodeTypeError,
        "ERR_INVALID_ARG_TYPE",
        None,
        server.listen,
        {"readableAll": "abc", "signal": signal},
    )
    assert not server.listening


@pytest.mark.parametrize("value", [math.nan, math.inf, 1.5])
@pytest_twisted.ensureDeferred
async def test_server_high_water_mark_node_refuses_at_accept(value: float, fds: None) -> None:
    """Node keeps such a highWaterMark and its accepted socket's constructor throws
    (uncaught); twnet reports the same error as uncaught and drops that connection."""
    from twnet.testing import capture_failures

    server = twnet.createServer({"highWaterMark": value})
    server.listen(0, "127.0.0.1")
    await _event(server, "listening")
    with capture_failures() as failures:
        sock = twnet.connect(server.address()["port"], "127.0.0.1")
        sock.on("error", lambda err: None)
        await _event(sock, "close")
    assert [f.value.code for f in failures] == ["ERR_INVALID_ARG_VALUE"]
    assert "options.readableHighWaterMark" in failures[0].value.message
    server.close()
    await _event(server, "close")
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


def test_socket_high_water_mark_beyond_a_double() -> None:
    _raises(NodeTypeError, "ERR_INVALID_ARG_VALUE", None, twnet.Socket, {"highWaterMark": 10**400})


def test_create_server_boolean_options_read_as_javascript() -> None:
    server = twnet.createServer({"allowHalfOpen": [], "noDelay": {}, "keepAlive": "x"})
    assert server.allowHalfOpen and server.noDelay and server.keepAlive  # [] and {} are true
    server = twnet.createServer({"pauseOnConnect": math.nan, "noDelay": ""})
    assert not server.pauseOnConnect and not server.noDelay


@pytest_twisted.ensureDeferred
async def test_pipe_into_a_readable_is_accepted_as_in_node() -> None:
    from twnet.stream import Readable
    from twnet.testing import capture_failures

    source = Readable({"read": lambda self, size: None})
    target = Readable({"read": lambda self, size: None})
    assert source.pipe(target) is target  # Node accepts; dest.write fails when data comes
    with capture_failures() as failures:
        source.push(b"x")
        await _event(source, "data")
    assert len(failures) == 1 and isinstance(failures[0].value, AttributeError)
    source.destroy()
    target.destroy()


def test_buffer_options_pass_validate_object_as_in_node() -> None:
    """Node's validateObject lets a Buffer through (an object, not an array): SocketAddress
    takes its defaults, finished() goes on to check its callback and stream."""
    from twnet import stream
    from twnet.stream import promises

    assert twnet.SocketAddress(b"\xd2\xc6\xb9\xc0").address == "127.0.0.1"
    with pytest.raises(twnet.NodeError) as info:
        stream.finished(stream.PassThrough(), bytearray(b"j[O"), "x")
    assert info.value.code == "ERR_INVALID_ARG_TYPE" and '"callback"' in str(info.value)
    rejected: list[BaseException] = []
    promises.finished({"foo": []}, memoryview(b"\x1a")).addErrback(
        lambda failure: rejected.append(failure.value)
    )
    assert '"stream"' in str(rejected[0])
    for bad in ([], (1,), 5, "x", True):
        with pytest.raises(twnet.NodeError) as info:
            stream.finished(stream.PassThrough(), bad, lambda *_: None)
        assert '"options"' in str(info.value)
