"""net.Socket over real loopback sockets: construction, connecting, the protocol adapter,
properties, methods, and sockets accepted by a Server (issue #5)."""

from __future__ import annotations

import errno
import os
import socket as pysocket
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.endpoints import TCP4ClientEndpoint, clientFromString
from twisted.internet.task import Clock

import twnet
import twnet as net
from tests._sockets import ClockReactor, fill, next_turn
from twnet import _runtime

R: Any = _reactor


# -- helpers ------------------------------------------------------------------------------


async def listen(server: net.Server, *args: Any) -> int:
    server.listen(*(args or (0, "127.0.0.1")))
    await twnet.once(server, "listening")
    address = server.address()
    return address["port"] if isinstance(address, dict) else 0


async def close_server(server: net.Server) -> None:
    if server.listening:
        closing = closed(server)
        server.close()
        await closing


async def pair(
    server_options: dict[str, Any] | None = None, **client_options: Any
) -> tuple[net.Server, net.Socket, net.Socket]:
    """A listening server, a connected client and the server's accepted socket."""
    server = net.createServer(server_options or {})
    accepted: defer.Deferred[list[Any]] = twnet.once(server, "connection")
    port = await listen(server)
    client = net.connect({"port": port, "host": "127.0.0.1", **client_options})
    await twnet.once(client, "connect")
    (conn,) = await accepted
    return server, client, conn


async def finish(server: net.Server | None, *sockets: net.Socket) -> None:
    """Destroy what is left and wait until every socket and the server have closed."""
    waits = [closed(s) for s in sockets if not s.closed]
    for s in sockets:
        s.destroy()
    for w in waits:
        await w
    if server is not None:
        await close_server(server)


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    """Fires with the arguments of *emitter*'s next 'close' (errors are the test's business)."""
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


def closed_port() -> int:
    with pysocket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def record(emitter: Any, log: list[Any], *names: str) -> None:
    for name in names:
        emitter.on(name, lambda *args, _n=name: log.append((_n, *args)))


def data_collector(sock: net.Socket) -> list[Any]:
    chunks: list[Any] = []
    sock.on("data", chunks.append)
    return chunks


# -- 1. construction ------------------------------------------------------------------------


def test_fresh_socket_state() -> None:
    s = net.Socket()
    assert s.readyState == "open"  # as Node 24
    assert s.readable and s.writable
    assert not s.connecting and s.pending
    assert s.bufferSize is None
    assert s.remoteAddress is None and s.remotePort is None and s.remoteFamily is None
    assert s.localAddress is None and s.localPort is None and s.localFamily is None
    assert s.address() == {}
    assert s.timeout is None
    assert s.bytesRead == 0 and s.bytesWritten == 0
    assert not s.destroyed
    s.destroy()
    assert s.readyState == "closed" and s.destroyed


def test_construction_options() -> None:
    s = net.Socket({"readable": False, "writable": False})
    assert s.readyState == "closed" and not s.readable and not s.writable
    s = net.Socket(allow_half_open=True)
    assert s.allowHalfOpen
    assert not net.Socket().allowHalfOpen
    # Node 24 spreads any non-number into its options: new net.Socket('nope') is a socket
    assert not net.Socket("nope").connecting  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        net.Socket({"keepAliveInitialDelay": "1"})


def test_stream_options_reach_the_duplex_as_in_node() -> None:
    # Node 24: new net.Socket({encoding: 'utf8', defaultEncoding: 'hex', emitClose: true,
    # autoDestroy: false, highWaterMark: 100}) -> utf8 hex false true 100 100
    s = net.Socket(
        {
            "encoding": "utf8",
            "defaultEncoding": "hex",
            "emitClose": True,
            "autoDestroy": False,
            "highWaterMark": 100,
        }
    )
    assert s.readableEncoding == "utf8"
    assert s._writableState.defaultEncoding == "hex"
    assert s._readableState.emitClose is False and s._writableState.autoDestroy is True
    assert (s.readableHighWaterMark, s.writableHighWaterMark) == (100, 100)
    t = net.Socket(readable_high_water_mark=10, writable_high_water_mark=20)
    assert (t.readableHighWaterMark, t.writableHighWaterMark) == (10, 20)
    assert s.autoSelectFamilyAttemptedAddresses is None  # Node: undefined


@pytest_twisted.ensureDeferred
async def test_an_idle_connection_keeps_no_spare_objects() -> None:
    # Memory per idle connection (docs/performance.md): the protocol adapter has slots only,
    # the stream states share one empty tuple until something is queued, the socket has no
    # instance __dict__ and Node's one 'end' listener is stored bare.
    server, client, conn = await pair()
    protocol = conn._handle.transport.protocol
    assert protocol is conn._handle
    assert not hasattr(protocol, "__dict__")
    r, w = conn._readableState, conn._writableState
    assert (r.buffer, r.pipes, r.awaitDrainWriters, w.buffered, w.onFinished) == ((),) * 5
    assert "__dict__" not in dir(conn) or not conn.__dict__
    assert conn._events == {"end": conn._on_readable_end}
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_adopt_fd_socketpair() -> None:
    a, b = pysocket.socketpair()
    try:
        s = net.Socket({"fd": a.fileno(), "allowHalfOpen": True})
        assert s.readyState == "open"
        chunks = data_collector(s)
        b.sendall(b"from peer")
        ended = twnet.once(s, "end")
        b.shutdown(pysocket.SHUT_WR)
        await ended
        assert b"".join(chunks) == b"from peer"
        s.end(b"reply")
        await closed(s)
        assert b.recv(100) == b"reply"
    finally:
        a.close()
        b.close()


@pytest_twisted.ensureDeferred
async def test_adopt_fd_tcp_and_options() -> None:
    server = net.createServer()
    accepted = twnet.once(server, "connection")
    port = await listen(server)
    raw = pysocket.create_connection(("127.0.0.1", port))
    try:
        s = net.Socket(raw.fileno(), noDelay=True, keepAlive=True, keepAliveInitialDelay=3000)
        (conn,) = await accepted
        handle = s._handle.transport.getHandle()
        assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
        assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
        assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 3
        assert s.remotePort == port and s.remoteFamily == "IPv4"
        assert s.localPort == raw.getsockname()[1]
        got = twnet.once(conn, "data")
        s.write(b"adopted")
        assert (await got) == [b"adopted"]
        await finish(server, s, conn)
    finally:
        raw.close()


def test_adopt_bad_fd() -> None:
    with pytest.raises(TypeError):
        net.Socket({"fd": "3"})


@pytest_twisted.ensureDeferred
async def test_timeout_option_on_connect() -> None:
    server, client, conn = await pair(timeout=5000)
    assert client.timeout == 5000
    await finish(server, client, conn)


# -- 2. connecting --------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_connect_events_and_states() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    client = net.Socket()
    assert client.connect(port, "localhost", lambda: log.append("cb")) is client
    assert client.connecting and client.pending and client.readyState == "opening"
    record(client, log, "lookup", "connect", "ready")
    assert log == []  # nothing synchronous
    # Writes made while connecting are queued and sent on connect.
    written: list[Any] = []
    assert client.write(b"early", lambda err: written.append(err)) is True
    assert client.bufferSize == 5 and client.bytesWritten == 5
    conn_d = twnet.once(server, "connection")
    await twnet.once(client, "ready")
    assert log[0] == ("lookup", None, "127.0.0.1", 4, "localhost")
    assert log[1:] == ["cb", ("connect",), ("ready",)]
    assert not client.connecting and not client.pending and client.readyState == "open"
    (conn,) = await conn_d
    assert (await twnet.once(conn, "data")) == [b"early"]
    assert written == [None]
    assert client.remoteAddress == "127.0.0.1" and client.remotePort == port
    assert client.remoteFamily == "IPv4" and client.localFamily == "IPv4"
    assert client.localAddress == "127.0.0.1" and client.address() == {
        "address": "127.0.0.1",
        "family": "IPv4",
        "port": client.localPort,
    }
    assert conn.remotePort == client.localPort
    client.end()
    assert client.readyState == "readOnly"
    await finish(server, client, conn)
    assert client.readyState == "closed"
    assert client.remoteAddress is None or client.remoteAddress == "127.0.0.1"


@pytest_twisted.ensureDeferred
async def test_no_lookup_for_ip_literal() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    client = net.createConnection(port, "127.0.0.1")
    record(client, log, "lookup", "connect")
    conn_d = twnet.once(server, "connection")
    await twnet.once(client, "connect")
    assert log == [("connect",)]
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_connect_default_host_is_localhost() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    conn_d = twnet.once(server, "connection")
    client = net.connect(port)
    record(client, log, "lookup")
    await twnet.once(client, "connect")
    assert log[0][-1] == "localhost"
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_connect_local_address_and_port_family4() -> None:
    server = net.createServer()
    port = await listen(server)
    local_port = closed_port()
    conn_d = twnet.once(server, "connection")
    client = net.connect(
        port=port, host="localhost", family=4, localAddress="127.0.0.1", localPort=local_port
    )
    await twnet.once(client, "connect")
    assert client.localPort == local_port and client.localAddress == "127.0.0.1"
    (conn,) = await conn_d
    assert conn.remotePort == local_port
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_connect_custom_lookup_and_hints() -> None:
    server = net.createServer()
    port = await listen(server)
    calls: list[Any] = []

    def lookup(host: str, options: dict[str, Any], cb: Callable[..., Any]) -> None:
        calls.append((host, dict(options)))
        cb(None, "127.0.0.1", 4)

    conn_d = twnet.once(server, "connection")
    # A synchronous lookup emits 'lookup' synchronously (as Node): listen first.
    client = net.Socket()
    lookups: list[Any] = []
    client.on("lookup", lambda *a: lookups.append(a))
    client.connect(
        {"port": port, "host": "example.test", "lookup": lookup, "family": 4, "hints": 1024}
    )
    await twnet.once(client, "connect")
    assert calls == [("example.test", {"family": 4, "hints": 1024})]
    # Without family nor hints: all addresses, hints ADDRCONFIG (as Node 24 on Linux).
    seen: list[Any] = []

    def lookup_all(host: str, options: dict[str, Any], cb: Callable[..., Any]) -> None:
        seen.append(dict(options))
        cb(None, [{"address": "127.0.0.1", "family": 4}])

    conn2_d = twnet.once(server, "connection")
    client2 = net.connect({"port": port, "host": "x.test", "lookup": lookup_all})
    await twnet.once(client2, "connect")
    assert seen == [{"family": None, "hints": pysocket.AI_ADDRCONFIG, "all": True}]
    (conn2,) = await conn2_d
    await finish(None, client2, conn2)
    assert lookups == [(None, "127.0.0.1", 4, "example.test")]
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_lookup_failure_enotfound() -> None:
    def lookup(host: str, options: dict[str, Any], cb: Callable[..., Any]) -> None:
        from twnet._errors import system_error

        cb(system_error("ENOTFOUND", "getaddrinfo", hostname=host))

    log: list[Any] = []
    client = net.Socket()
    record(client, log, "lookup", "error", "close")
    client.connect({"port": 80, "host": "nowhere.invalid", "lookup": lookup})
    await closed(client)
    err = log[0][1]
    assert log[0] == ("lookup", err, None, None, "nowhere.invalid")
    assert err.code == "ENOTFOUND" and err.syscall == "getaddrinfo"
    assert err.hostname == "nowhere.invalid"
    assert log[1:] == [("error", err), ("close", True)]


@pytest_twisted.ensureDeferred
async def test_connect_refused() -> None:
    port = closed_port()
    log: list[Any] = []
    client = net.connect(port, "127.0.0.1")
    record(client, log, "connectionAttempt", "connectionAttemptFailed", "error", "close", "connect")
    await closed(client)
    err = log[2][1]
    assert isinstance(err, ConnectionRefusedError)
    assert (err.code, err.syscall, err.address, err.port) == (
        "ECONNREFUSED",
        "connect",
        "127.0.0.1",
        port,
    )
    assert str(err) == f"connect ECONNREFUSED 127.0.0.1:{port}"
    # As Node 24: the attempt events, then 'error' and 'close'(true).
    assert log == [
        ("connectionAttempt", "127.0.0.1", port, 4),
        ("connectionAttemptFailed", "127.0.0.1", port, 4, err),
        ("error", err),
        ("close", True),
    ]
    assert log[-1] == ("close", True)


@pytest_twisted.ensureDeferred
async def test_connect_local_port_in_use_is_a_bind_error() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    client = net.connect(
        {"port": port, "host": "127.0.0.1", "localAddress": "127.0.0.1", "localPort": port}
    )
    record(client, log, "connectionAttemptFailed", "error", "close")
    await closed(client)
    err = log[0][1]
    assert (err.code, err.syscall, err.address, err.port) == (
        "EADDRINUSE",
        "bind",
        "127.0.0.1",
        port,
    )
    assert str(err) == f"bind EADDRINUSE 127.0.0.1:{port}"
    assert log[1:] == [("close", True)]
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_connect_unix_missing_path() -> None:
    path = os.path.join(tempfile.mkdtemp(), "missing.sock")
    log: list[Any] = []
    client = net.connect(path)
    record(client, log, "error", "close")
    await closed(client)
    err = log[0][1]
    assert isinstance(err, FileNotFoundError)
    assert (err.code, err.syscall, err.address) == ("ENOENT", "connect", path)
    assert log[1] == ("close", True)


@pytest_twisted.ensureDeferred
async def test_connect_unix() -> None:
    path = os.path.join(tempfile.mkdtemp(), "echo.sock")
    server = net.createServer(lambda c: c.pipe(c))
    await listen(server, path)
    client = net.connect({"path": path})
    await twnet.once(client, "connect")
    assert client.remoteAddress is None and client.address() == {}
    got = twnet.once(client, "data")
    client.write("unix")
    assert (await got) == [b"unix"]
    client.end()
    await closed(client)
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_connect_endpoint() -> None:
    accepted: list[defer.Deferred[list[Any]]] = []

    def on_connection(c: net.Socket) -> None:
        accepted.append(closed(c))
        c.end(b"bye")

    server = net.createServer(on_connection)
    port = await listen(server)
    for endpoint in (
        TCP4ClientEndpoint(R, "127.0.0.1", port),
        clientFromString(R, f"tcp:127.0.0.1:{port}"),
    ):
        client = net.connect(endpoint)
        chunks = data_collector(client)
        await twnet.once(client, "connect")
        await closed(client)
        assert chunks == [b"bye"]
    client = net.Socket().connect({"endpoint": TCP4ClientEndpoint(R, "127.0.0.1", port)})
    client.resume()
    await closed(client)
    await close_server(server)
    for each in accepted:
        await each


@pytest_twisted.ensureDeferred
async def test_connect_endpoint_refused() -> None:
    client = net.connect(TCP4ClientEndpoint(R, "127.0.0.1", closed_port()))
    errors: list[Any] = []
    client.on("error", errors.append)
    assert (await closed(client)) == [True]
    assert errors[0].code == "ECONNREFUSED" and errors[0].syscall == "connect"


def test_connect_bad_arguments() -> None:
    with pytest.raises(TypeError) as info:
        net.Socket().connect({})
    assert info.value.code == "ERR_MISSING_ARGS"  # type: ignore[attr-defined]
    with pytest.raises(ValueError) as bad_port:
        net.Socket().connect(70000)
    assert bad_port.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        net.Socket().connect({"port": 1, "lookup": 3})
    with pytest.raises(Exception) as family:
        net.Socket().connect({"port": 1, "family": 5})
    assert family.value.code == "ERR_INVALID_ARG_VALUE"  # type: ignore[attr-defined]


@pytest_twisted.ensureDeferred
async def test_destroy_while_connecting() -> None:
    server = net.createServer()
    port = await listen(server)
    results: list[Any] = []
    client = net.connect(port, "localhost")
    client.write(b"x", results.append)
    client.write(b"y", results.append)
    client.destroy()
    assert (await closed(client)) == [False]
    assert [e.code for e in results] == ["ERR_SOCKET_CLOSED_BEFORE_CONNECTION"] * 2
    assert not R.getDelayedCalls() or all(not c.active() for c in R.getDelayedCalls())
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_destroy_with_error_while_connecting_by_ip() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    client = net.connect(port, "127.0.0.1")
    record(client, log, "connect", "error", "close")
    boom = RuntimeError("boom")
    client.destroy(boom)
    await closed(client)
    assert log == [("error", boom), ("close", True)]
    await close_server(server)


class NoAddresses:
    """An IHostnameResolver that finds nothing (no DNS traffic)."""

    def __init__(self) -> None:
        self.asked: list[Any] = []

    def resolveHostName(
        self, receiver: Any, hostName: str, portNumber: int = 0, addressTypes: Any = None
    ) -> Any:
        self.asked.append((hostName, addressTypes))
        receiver.resolutionBegan(None)
        receiver.resolutionComplete()
        return receiver


class ResolverReactor:
    """The real reactor with another nameResolver."""

    def __init__(self, resolver: Any) -> None:
        self.nameResolver = resolver

    def __getattr__(self, name: str) -> Any:
        return getattr(R, name)


@pytest_twisted.ensureDeferred
async def test_default_lookup_enotfound_through_name_resolver() -> None:
    resolver = NoAddresses()
    log: list[Any] = []
    client = net.Socket(reactor=ResolverReactor(resolver))
    record(client, log, "lookup", "error", "close")
    client.connect(80, "nowhere.invalid")
    await closed(client)
    err = log[0][1]
    assert resolver.asked == [("nowhere.invalid", None)]
    assert (err.code, err.syscall, err.hostname) == ("ENOTFOUND", "getaddrinfo", "nowhere.invalid")
    assert str(err) == "getaddrinfo ENOTFOUND nowhere.invalid"
    assert log == [
        ("lookup", err, None, None, "nowhere.invalid"),
        ("error", err),
        ("close", True),
    ]


@pytest_twisted.ensureDeferred
async def test_connect_forms_on_factories() -> None:
    server = net.createServer(lambda c: c.end(b"hi"))
    port = await listen(server)
    path = os.path.join(tempfile.mkdtemp(), "s.sock")
    unix = net.createServer(lambda c: c.end(b"unix"))
    await listen(unix, path)
    for make in (
        lambda cb: net.connect(port, "127.0.0.1", cb),
        lambda cb: net.createConnection(port, cb),
        lambda cb: net.create_connection({"port": port, "host": "localhost"}, cb),
        lambda cb: net.connect(port=port, host="127.0.0.1").once("connect", cb),
        lambda cb: net.createConnection(path, cb),
        lambda cb: net.connect({"path": path}, cb),
    ):
        seen: list[str] = []
        client = make(lambda seen=seen: seen.append("cb"))
        chunks = data_collector(client)
        await closed(client)
        assert seen == ["cb"] and chunks in ([b"hi"], [b"unix"])
    await close_server(server)
    await close_server(unix)


@pytest_twisted.ensureDeferred
async def test_remote_family_once_unknown_and_unix_addresses() -> None:
    s = net.Socket()
    assert s.remoteFamily is None
    server, client, conn = await pair()
    assert client.remoteFamily == "IPv4"
    await finish(server, client, conn)


# -- autoSelectFamily -----------------------------------------------------------------------


def both_families(host: str, options: dict[str, Any], cb: Callable[..., Any]) -> None:
    assert options.get("all") is True
    cb(None, [{"address": "::1", "family": 6}, {"address": "127.0.0.1", "family": 4}])


@pytest_twisted.ensureDeferred
async def test_auto_select_family_falls_back_to_ipv4() -> None:
    server = net.createServer()
    port = await listen(server)
    log: list[Any] = []
    conn_d = twnet.once(server, "connection")
    client = net.Socket()
    record(
        client,
        log,
        "lookup",
        "connectionAttempt",
        "connectionAttemptFailed",
        "connectionAttemptTimeout",
        "connect",
    )
    client.connect(
        {"port": port, "host": "localhost", "lookup": both_families, "autoSelectFamily": True}
    )
    await twnet.once(client, "connect")
    names = [e[0] for e in log]
    assert names[:2] == ["lookup", "lookup"]
    assert log[2] == ("connectionAttempt", "::1", port, 6)
    assert log[3][:4] == ("connectionAttemptFailed", "::1", port, 6)
    assert log[3][4].code in ("ECONNREFUSED", "EADDRNOTAVAIL", "ENETUNREACH")
    assert log[4] == ("connectionAttempt", "127.0.0.1", port, 4)
    assert log[5] == ("connect",)
    assert client.autoSelectFamilyAttemptedAddresses == [f"::1:{port}", f"127.0.0.1:{port}"]
    assert client.remoteAddress == "127.0.0.1"
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_auto_select_family_all_fail_aggregate() -> None:
    port = closed_port()
    client = net.connect({"port": port, "host": "localhost", "lookup": both_families})
    errors: list[Any] = []
    client.on("error", errors.append)
    assert (await closed(client)) == [True]
    (err,) = errors
    assert err.code == err.errors[0].code
    assert len(err.errors) == 2
    assert err.errors[1].code == "ECONNREFUSED" and err.errors[1].address == "127.0.0.1"


@pytest_twisted.ensureDeferred
async def test_auto_select_family_attempt_timeout_with_clock() -> None:
    """The first attempt hangs (an endpoint that never answers): after the attempt timeout
    'connectionAttemptTimeout' is emitted and the next address is tried."""
    from twnet import _connect

    clock = Clock()
    hung: list[defer.Deferred[Any]] = []
    real_endpoint = _connect._tcp_endpoint

    class Hanging:
        def connect(self, factory: Any) -> defer.Deferred[Any]:
            d: defer.Deferred[Any] = defer.Deferred()
            hung.append(d)
            return d

    def fake_endpoint(socket: Any, ip: str, port: int, family: int, local: Any) -> Any:
        return Hanging() if family == 6 else real_endpoint(socket, ip, port, family, local)

    server = net.createServer()
    port = await listen(server)
    conn_d = twnet.once(server, "connection")
    log: list[Any] = []
    _connect._tcp_endpoint = fake_endpoint
    try:
        client = net.Socket(reactor=ClockReactor(clock))
        record(client, log, "connectionAttempt", "connectionAttemptTimeout", "connect")
        client.connect(
            {"port": port, "host": "localhost", "lookup": both_families},
            autoSelectFamilyAttemptTimeout=100,
        )
        assert log == [("connectionAttempt", "::1", port, 6)]
        clock.advance(0.099)
        assert len(log) == 1
        clock.advance(0.001)
        assert log[1] == ("connectionAttemptTimeout", "::1", port, 6)
        assert log[2] == ("connectionAttempt", "127.0.0.1", port, 4)
        assert hung[0].called  # cancelled
        await twnet.once(client, "connect")
        assert not clock.getDelayedCalls()
    finally:
        _connect._tcp_endpoint = real_endpoint
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_auto_select_family_destroy_during_attempt_leaves_no_timer() -> None:
    from twnet import _connect

    clock = Clock()
    real_endpoint = _connect._tcp_endpoint
    hung: list[defer.Deferred[Any]] = []

    class Hanging:
        def connect(self, factory: Any) -> defer.Deferred[Any]:
            d: defer.Deferred[Any] = defer.Deferred()
            hung.append(d)
            return d

    _connect._tcp_endpoint = lambda *args: Hanging()
    try:
        client = net.Socket(reactor=ClockReactor(clock))
        attempts: list[Any] = []
        client.on("connectionAttempt", lambda *a: attempts.append(a))
        client.connect({"port": 9, "host": "localhost", "lookup": both_families})
        assert len(attempts) == 1 and clock.getDelayedCalls()
        client.destroy()
        assert (await closed(client)) == [False]
        assert not [c for c in clock.getDelayedCalls() if c.active()]
        assert hung[0].called  # the attempt was cancelled
    finally:
        _connect._tcp_endpoint = real_endpoint


@pytest_twisted.ensureDeferred
async def test_auto_select_family_first_attempt_connects_no_timer_left() -> None:
    """The first address answers: its attempt timer is cancelled (no late
    'connectionAttemptTimeout', nothing left on the clock)."""
    from twnet import _connect

    clock = Clock()
    real_endpoint = _connect._tcp_endpoint
    server = net.createServer()
    port = await listen(server)
    conn_d = twnet.once(server, "connection")
    _connect._tcp_endpoint = lambda sock, ip, p, fam, local: real_endpoint(
        sock, "127.0.0.1", p, 4, local
    )
    try:
        client = net.Socket(reactor=ClockReactor(clock))
        log: list[Any] = []
        record(client, log, "connectionAttempt", "connectionAttemptTimeout", "connect")
        client.connect({"port": port, "host": "localhost", "lookup": both_families})
        await twnet.once(client, "connect")
    finally:
        _connect._tcp_endpoint = real_endpoint
    assert not [c for c in clock.getDelayedCalls() if c.active()]
    clock.advance(1)
    assert log == [("connectionAttempt", "::1", port, 6), ("connect",)]
    assert client.autoSelectFamilyAttemptedAddresses == [f"::1:{port}"]
    (conn,) = await conn_d
    await finish(server, client, conn)


def test_default_auto_select_family() -> None:
    assert net.getDefaultAutoSelectFamily() is True
    assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 250
    try:
        net.setDefaultAutoSelectFamily(False)
        assert net.getDefaultAutoSelectFamily() is False
        net.setDefaultAutoSelectFamilyAttemptTimeout(5)
        assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 10
        net.set_default_auto_select_family_attempt_timeout(300)
        assert net.get_default_auto_select_family_attempt_timeout() == 300
        with pytest.raises(TypeError):
            net.setDefaultAutoSelectFamily(1)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            net.setDefaultAutoSelectFamilyAttemptTimeout(0)
    finally:
        net.setDefaultAutoSelectFamily(True)
        net.setDefaultAutoSelectFamilyAttemptTimeout(250)


# -- 3. the protocol adapter ----------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_end_half_closes_after_queued_writes() -> None:
    server, client, conn = await pair({"allowHalfOpen": True})
    chunks = data_collector(conn)
    log: list[Any] = []
    record(client, log, "finish")
    ended = twnet.once(conn, "end")
    client.write(b"a" * 100_000)
    client.end(b"tail")
    await ended
    assert b"".join(chunks) == b"a" * 100_000 + b"tail"
    assert log == [("finish",)]
    # Half-open: the server side can still write to the client, which still reads.
    got = data_collector(client)
    cended = twnet.once(client, "end")
    conn.end(b"answer")
    await cended
    assert got == [b"answer"]
    await closed(client)
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_end_with_nothing_queued_finishes_on_a_later_reactor_turn() -> None:
    # An empty transport half-closes without waiting for writability (twnet._transport), but
    # 'finish' still comes after the reactor turns, as Node's shutdown completes on a later
    # loop iteration: not inside end(), not on the next tick.
    server, client, conn = await pair({"allowHalfOpen": True})
    log: list[Any] = []
    record(conn, log, "prefinish", "finish")
    conn.end()
    assert conn._handle._shutdown_call is not None
    twnet.nextTick(lambda: log.append(("tick",)))
    ended = twnet.once(client, "end")
    client.resume()
    await twnet.once(conn, "finish")
    assert log == [("tick",), ("prefinish",), ("finish",)]
    await ended  # the FIN reached the peer
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_destroy_right_after_end_cancels_the_pending_half_close() -> None:
    server, client, conn = await pair({"allowHalfOpen": True})
    conn.end()
    handle = conn._handle
    call = handle._shutdown_call
    assert call is not None and call.active()
    closing = closed(client)
    conn.destroy()
    assert not call.active() and handle._shutdown_call is None and conn._handle is None
    client.resume()
    await closing
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_allow_half_open_false_ends_after_peer_fin() -> None:
    server, client, conn = await pair({"allowHalfOpen": True})
    log: list[Any] = []
    record(client, log, "end", "finish", "close")
    client.resume()
    conn_ended = twnet.once(conn, "end")
    conn.end(b"x")
    assert client.bufferSize == 0
    await closed(client)
    assert log == [("end",), ("finish",), ("close", False)]
    # Node: bufferSize is undefined once the handle is gone; the socket keeps no transport.
    assert client.bufferSize is None and client._handle is None
    await conn_ended
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_client_allow_half_open_true() -> None:
    server, client, conn = await pair({}, allowHalfOpen=True)
    log: list[Any] = []
    record(client, log, "end", "finish", "close")
    sdata = data_collector(conn)
    conn.end()
    await twnet.once(client, "end")
    assert client.writable and client.readyState == "writeOnly"
    client.write(b"still here")
    client.end()
    await closed(client)
    assert log == [("end",), ("finish",), ("close", False)]
    if not conn.closed:
        await closed(conn)
    assert sdata == [b"still here"]
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_epipe_after_peer_fin() -> None:
    server, client, conn = await pair({"allowHalfOpen": True})
    conn.end()
    errors: list[Any] = []
    calls: list[Any] = []
    client.on("error", errors.append)
    client.pause()  # 'end' is not emitted while paused, but the FIN is seen
    # our side sees the FIN and ends its writable side: write at 'finish' itself, while the
    # socket is ended but not yet destroyed (the ticks after 'finish' destroy it)
    wrote: list[bool] = []
    client.once("finish", lambda: wrote.append(client.write(b"late", calls.append)))
    await twnet.once(client, "finish")
    assert wrote == [False]
    assert (await closed(client)) == [True]
    assert errors[0].code == "EPIPE" and str(errors[0]) == (
        "This socket has been ended by the other party"
    )
    assert calls and calls[0] is not None
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_econnreset_when_peer_resets() -> None:
    server, client, conn = await pair()
    errors: list[Any] = []
    client.on("error", errors.append)
    assert conn.resetAndDestroy() is conn
    assert (await closed(client)) == [True]
    assert isinstance(errors[0], ConnectionResetError)
    assert errors[0].code == "ECONNRESET" and errors[0].syscall == "read"
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_close_once_and_had_error() -> None:
    server, client, conn = await pair()
    closes: list[Any] = []
    client.on("close", closes.append)
    client.destroy()
    client.destroy()
    await closed(conn)
    await next_turn()
    assert closes == [False]
    await finish(server)


@pytest_twisted.ensureDeferred
async def test_pause_stops_transport_reading_and_peer_backs_up() -> None:
    server, client, conn = await pair()
    client.pause()
    sent = await fill(conn)
    # The paused socket stopped reading its transport at readableHighWaterMark: the
    # kernel buffers filled up and the writer's data waits in twnet.
    assert not client._reading
    assert client._handle.transport not in R.getReaders()  # Twisted stopped reading it
    assert client.readableLength < client.readableHighWaterMark + 65536
    assert conn.bufferSize > 0 and conn.writableNeedDrain
    assert sent - conn.bufferSize > client.readableLength  # the rest is in kernel buffers
    drained = twnet.once(conn, "drain")
    total = 0

    def count(data: bytes) -> None:
        nonlocal total
        total += len(data)

    client.on("data", count)
    client.resume()
    await drained
    assert total > 0
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_write_backpressure_truthful_and_bounded() -> None:
    server, client, conn = await pair()
    conn.pause()
    # More than the kernel's buffers on both sides take: write() hands each chunk to the
    # kernel at once while it has room, as Node does.
    chunk = b"q" * 65536
    writes = 400
    results = []
    callbacks: list[Any] = []
    for _ in range(writes):
        results.append(client.write(chunk, callbacks.append))
        await next_turn() if len(results) % 50 == 0 else None
    assert results[0] is True and results[-1] is False
    assert client.bytesWritten == writes * len(chunk)
    # twnet keeps what the kernel and Twisted did not take, and says so.
    assert client.bufferSize == client.writableLength
    assert client.bufferSize > 1_000_000
    assert len(callbacks) < writes
    drained = twnet.once(client, "drain")
    received = 0

    def count(data: bytes) -> None:
        nonlocal received
        received += len(data)

    conn.on("data", count)
    conn.resume()
    await drained
    assert client.bufferSize == 0
    await next_turn()  # as in Node, 'drain' comes before the callbacks of that batch
    assert callbacks == [None] * writes
    while received < writes * len(chunk):
        await twnet.once(conn, "data")
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_write_callbacks_fire_once_on_death() -> None:
    server, client, conn = await pair()
    conn.pause()
    callbacks: list[Any] = []
    for _ in range(100):
        client.write(b"w" * 65536, callbacks.append)
        if len(callbacks) < 3:
            await next_turn()
    client.destroy()
    await closed(client)
    await next_turn()
    assert len(callbacks) == 100
    errors = [c for c in callbacks if c is not None]
    assert errors
    # As Node: the write under way is cancelled, and the queued ones fail with it.
    assert errors[0].code == "ECANCELED" and str(errors[0]) == "write ECANCELED"
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_destroy_backed_up_socket_closes_gracefully() -> None:
    """As Node's close(): what twnet and Twisted still hold is dropped, the socket closes at
    once, and the peer gets what the kernel had, then a FIN (not a reset)."""
    server, client, conn = await pair()
    conn.pause()
    await fill(client)
    assert client.bufferSize > 0
    log: list[Any] = []
    record(conn, log, "end", "error")
    client.destroy()
    assert (await closed(client)) == [False]
    conn.resume()
    await closed(conn)
    assert log == [("end",)]
    await finish(server)


@pytest_twisted.ensureDeferred
async def test_write_then_destroy_sends_the_data() -> None:
    server, client, conn = await pair()
    received = data_collector(client)
    log: list[Any] = []
    record(client, log, "end", "error")
    conn.write(b"x" * 100_000)
    conn.write(b"bye")
    conn.destroy()
    await closed(client)
    assert b"".join(received) == b"x" * 100_000 + b"bye"
    assert log == [("end",)]
    await finish(server, conn)


@pytest_twisted.ensureDeferred
async def test_allow_half_open_false_flushes_queued_writes_then_fin() -> None:
    server, client, conn = await pair({"allowHalfOpen": True})
    received = data_collector(conn)
    log: list[Any] = []
    record(client, log, "end", "finish", "close")
    client.resume()
    big = b"b" * 1_000_000
    client.write(big)
    conn.end()
    await closed(client)
    assert log == [("end",), ("finish",), ("close", False)]
    await twnet.once(conn, "end")
    assert b"".join(received) == big
    await finish(server, conn)


# -- 5. methods -----------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_set_timeout_with_clock() -> None:
    clock = Clock()
    server = net.createServer()
    port = await listen(server)
    conn_d = twnet.once(server, "connection")
    client = net.Socket(reactor=ClockReactor(clock))
    client.connect(port, "127.0.0.1")
    await twnet.once(client, "connect")
    (conn,) = await conn_d
    fired: list[Any] = []
    cb = lambda: fired.append("cb")  # noqa: E731
    assert client.setTimeout(1000, cb) is client
    assert client.timeout == 1000
    client.on("timeout", lambda: fired.append("timeout"))
    clock.advance(0.5)
    got = twnet.once(client, "data")
    conn.write(b"activity")
    await got
    clock.advance(0.6)
    assert fired == []
    client.write(b"out")
    clock.advance(0.9)
    assert fired == []
    clock.advance(0.2)
    assert fired == ["cb", "timeout"]
    assert not client.destroyed
    clock.advance(1.0)  # one 'timeout' per idle period, as Node (the timer is not periodic)
    assert fired == ["cb", "timeout"]
    client.write(b"again")
    clock.advance(1.0)
    assert fired == ["cb", "timeout", "timeout"]
    # 0 disables and removes the callback
    client.setTimeout(1000, cb)
    client.setTimeout(0, cb)
    assert client.timeout == 0  # as Node: undefined until set, then the last value
    assert "cb" not in [getattr(f, "__name__", "") for f in client.listeners("timeout")]
    assert len(client.listeners("timeout")) == 1
    clock.advance(5)
    assert fired == ["cb", "timeout", "timeout"]
    client.setTimeout(1000)
    await finish(server, client, conn)
    assert not clock.getDelayedCalls()


def test_set_timeout_bad_args() -> None:
    s = net.Socket()
    with pytest.raises(TypeError):
        s.setTimeout("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        s.setTimeout(-1)
    s.destroy()


@pytest_twisted.ensureDeferred
async def test_set_no_delay_and_keep_alive() -> None:
    server, client, conn = await pair()
    handle = client._handle.transport.getHandle()
    assert client.setNoDelay() is client
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
    client.setNoDelay(False)
    assert not handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
    assert client.setKeepAlive(True, 5000) is client
    assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 5
    client.setKeepAlive(False)
    assert not handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_no_delay_keep_alive_before_connect() -> None:
    server = net.createServer()
    port = await listen(server)
    conn_d = twnet.once(server, "connection")
    client = net.Socket().setNoDelay(True).setKeepAlive(True, 2000)
    client.connect(port, "127.0.0.1")
    await twnet.once(client, "connect")
    handle = client._handle.transport.getHandle()
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
    assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 2
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_ref_unref() -> None:
    server, client, conn = await pair()
    assert _runtime.is_held(client)
    assert client.unref() is client
    assert not _runtime.is_held(client)
    assert client.ref() is client
    assert _runtime.is_held(client)
    await finish(server, client, conn)
    assert not _runtime.is_held(client)


@pytest_twisted.ensureDeferred
async def test_unref_before_connect() -> None:
    server = net.createServer()
    port = await listen(server)
    conn_d = twnet.once(server, "connection")
    client = net.Socket().unref()
    client.connect(port, "127.0.0.1")
    assert not _runtime.is_held(client)
    await twnet.once(client, "connect")
    assert not _runtime.is_held(client)
    (conn,) = await conn_d
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_reset_and_destroy_not_connected() -> None:
    s = net.Socket()
    errors: list[Any] = []
    s.on("error", errors.append)
    assert s.resetAndDestroy() is s
    await closed(s)
    assert errors[0].code == "ERR_SOCKET_CLOSED"


# -- 6. sockets accepted by a server --------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_accepted_socket_options() -> None:
    server, client, conn = await pair(
        {"allowHalfOpen": True, "noDelay": True, "keepAlive": True, "keepAliveInitialDelay": 4000}
    )
    assert conn.allowHalfOpen and conn.server is server
    handle = conn._handle.transport.getHandle()
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
    assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 4
    assert conn.remotePort == client.localPort and conn.localPort == client.remotePort
    await finish(server, client, conn)


@pytest_twisted.ensureDeferred
async def test_accepted_pause_on_connect() -> None:
    server = net.createServer({"pauseOnConnect": True})
    conn_d = twnet.once(server, "connection")
    port = await listen(server)
    client = net.connect(port, "127.0.0.1")
    client.write(b"waiting")
    (conn,) = await conn_d
    for _ in range(5):
        await next_turn()
    assert conn.bytesRead == 0
    got = twnet.once(conn, "data")
    conn.resume()
    assert (await got) == [b"waiting"]
    await finish(server, client, conn)


# -- 8. the spec's examples -----------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_spec_echo_server_and_client_examples() -> None:
    out: list[str] = []
    console_log = out.append

    def on_connection(c: net.Socket) -> None:
        # 'connection' listener
        console_log("client connected")
        c.on("end", lambda: console_log("client disconnected"))
        c.write("hello\r\n")
        c.pipe(c)

    server = net.createServer(on_connection)

    def on_server_error(err: BaseException) -> None:
        raise err

    server.on("error", on_server_error)
    bound = twnet.once(server, "listening")
    server.listen(0, lambda: console_log("server bound"))
    await bound
    port = server.address()["port"]  # type: ignore[index]

    def on_connect() -> None:
        # 'connect' listener
        console_log("connected to server!")
        client.write("world!\r\n")

    client = net.connect({"port": port}, on_connect)

    def on_data(data: bytes) -> None:
        console_log(data.decode())
        client.end()

    client.on("data", on_data)
    client.on("end", lambda: console_log("disconnected from server"))
    await closed(client)
    await close_server(server)
    assert out[0] == "server bound"
    assert "connected to server!" in out and "client connected" in out
    assert (
        out[out.index("connected to server!") + 1 :].count("hello\r\n")
        + out.count("hello\r\nworld!\r\n")
        >= 1
    )
    assert "client disconnected" in out and out[-1] == "disconnected from server"


def test_errno_names_available() -> None:
    assert errno.ECONNREFUSED
