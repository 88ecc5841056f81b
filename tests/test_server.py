"""``net.Server`` over real loopback sockets, checked against what Node 24 does.

Every expectation that quotes a message or an event order was taken from Node 24 running the
same scenario (``/work/.cache/node24`` at the time of writing). Each test leaves the reactor
clean: it waits for every ``'close'`` it caused (the ``twnet_reactor_clean`` fixture checks).
"""

from __future__ import annotations

import errno
import os
import socket as pysocket
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import reactor
from twisted.internet.defer import Deferred
from twisted.internet.endpoints import TCP4ServerEndpoint, serverFromString

import twnet
from tests._sockets import next_turn
from twnet import NodeError, Server, Socket, once
from twnet._runtime import is_held

TIMEOUT = 5.0


# -- helpers --------------------------------------------------------------------------------


async def wait(d: Deferred[Any], timeout: float = TIMEOUT) -> Any:
    """Await *d*, failing after *timeout* seconds instead of hanging the suite."""
    d.addTimeout(timeout, reactor)
    return await d


async def event(emitter: Any, name: str) -> list[Any]:
    result: list[Any] = await wait(once(emitter, name))
    return result


async def listening(server: Server, *args: Any, **kwargs: Any) -> Server:
    done = once(server, "listening")
    server.listen(*args, **kwargs)
    await wait(done)
    return server


async def close(server: Server) -> None:
    """Close *server* and wait for its ``'close'``."""
    done = once(server, "close")
    server.close()
    await wait(done)


async def closed(*sockets: Socket) -> None:
    """Wait for the ``'close'`` of every socket not closed yet."""
    for sock in sockets:
        if not _has_closed(sock):
            done: Deferred[None] = Deferred()
            sock.once("close", lambda *_, d=done: d.callback(None))
            await wait(done)


def _has_closed(sock: Socket) -> bool:
    return bool(getattr(sock, "_twnet_test_closed", False))


def track(sock: Socket) -> Socket:
    """Remember when *sock* emitted ``'close'``, so :func:`closed` does not wait for it twice."""
    sock.on("close", lambda *_: setattr(sock, "_twnet_test_closed", True))
    return sock


async def connect(*args: Any, **kwargs: Any) -> Socket:
    client = track(twnet.connect(*args, **kwargs))
    await event(client, "connect")
    return client


async def accept(server: Server, *connect_args: Any) -> tuple[Socket, Socket]:
    """Connect a client to *server*; the (client, server-side socket) pair."""
    accepted = once(server, "connection")
    client = await connect(*connect_args)
    (peer,) = await wait(accepted)
    return client, track(peer)


async def hangup(client: Socket, peer: Socket) -> None:
    """Close a connection from the client side and wait for both ends' ``'close'``."""
    client.destroy()
    peer.destroy()
    await closed(client, peer)


def turns(n: int = 3) -> Deferred[None]:
    """A Deferred that fires after *n* reactor turns (select + callLater(0) cycles)."""
    d: Deferred[None] = Deferred()

    def step(left: int) -> None:
        if left:
            reactor.callLater(0, step, left - 1)
        else:
            d.callback(None)

    reactor.callLater(0, step, n)
    return d


def unix_listener(path: str) -> pysocket.socket:
    sock = pysocket.socket(pysocket.AF_UNIX, pysocket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(5)
    return sock


@pytest.fixture
def short_tmp(tmp_path: Path) -> Iterator[Path]:
    """A directory whose socket paths fit in ``sun_path`` (pytest's tmp_path can be long)."""
    if len(str(tmp_path)) < 60:
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="twnet") as name:
        yield Path(name)


# -- createServer ---------------------------------------------------------------------------


def test_create_server_defaults() -> None:
    server = twnet.createServer()
    assert isinstance(server, Server)
    assert server.allowHalfOpen is False
    assert server.pauseOnConnect is False
    assert server.noDelay is False
    assert server.keepAlive is False
    assert server.keepAliveInitialDelay == 0
    assert server.maxConnections is None
    assert server.listening is False
    assert server.address() is None


@pytest.mark.parametrize(
    "make",
    [
        lambda f: twnet.createServer(
            {
                "allowHalfOpen": True,
                "pauseOnConnect": True,
                "noDelay": True,
                "keepAlive": True,
                "keepAliveInitialDelay": 3500,
            },
            f,
        ),
        lambda f: twnet.createServer(
            f,
            allowHalfOpen=True,
            pauseOnConnect=True,
            noDelay=True,
            keepAlive=True,
            keepAliveInitialDelay=3500,
        ),
        lambda f: twnet.create_server(
            f,
            allow_half_open=True,
            pause_on_connect=True,
            no_delay=True,
            keep_alive=True,
            keep_alive_initial_delay=3500,
        ),
        lambda f: Server(
            {
                "allow_half_open": True,
                "pause_on_connect": True,
                "no_delay": True,
                "keep_alive": True,
                "keep_alive_initial_delay": 3500,
            },
            f,
        ),
    ],
    ids=["dict", "kwargs", "snake-kwargs", "Server-snake-dict"],
)
def test_create_server_options(make: Callable[[Callable[..., None]], Server]) -> None:
    def listener(sock: Socket) -> None:
        pass

    server = make(listener)
    assert server.allowHalfOpen is True
    assert server.allow_half_open is True
    assert server.pauseOnConnect is True
    assert server.noDelay is True
    assert server.keepAlive is True
    assert server.keepAliveInitialDelay == 3  # Node: ~~(3500 / 1000)
    assert server.listeners("connection") == [listener]


def test_create_server_negative_keepalive_delay_is_zero() -> None:
    assert twnet.createServer(keepAliveInitialDelay=-5).keepAliveInitialDelay == 0


@pytest.mark.parametrize(
    ("call", "cls", "code", "message"),
    [
        (
            lambda: twnet.createServer(1),
            TypeError,
            "ERR_INVALID_ARG_TYPE",
            'The "options" argument must be of type object. Received type int (1)',
        ),
        (
            lambda: twnet.createServer("x"),
            TypeError,
            "ERR_INVALID_ARG_TYPE",
            "The \"options\" argument must be of type object. Received type str ('x')",
        ),
        (
            lambda: twnet.createServer({"keepAliveInitialDelay": "x"}),
            TypeError,
            "ERR_INVALID_ARG_TYPE",
            'The "options.keepAliveInitialDelay" property must be of type number. '
            "Received type str ('x')",
        ),
    ],
)
def test_create_server_bad_arguments(
    call: Callable[[], Any], cls: type[Exception], code: str, message: str
) -> None:
    with pytest.raises(cls) as info:
        call()
    assert isinstance(info.value, NodeError)
    assert info.value.code == code
    assert str(info.value) == message


@pytest_twisted.ensureDeferred
async def test_accepted_socket_options_reach_the_os() -> None:
    server = await listening(
        twnet.createServer(noDelay=True, keepAlive=True, keepAliveInitialDelay=7000),
        0,
        "127.0.0.1",
    )
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    handle = peer._handle.transport.getHandle()
    assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
    assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    if hasattr(pysocket, "TCP_KEEPIDLE"):
        assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 7
    await hangup(client, peer)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_without_options_accepted_sockets_keep_os_defaults() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    handle = peer._handle.transport.getHandle()
    assert not handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
    await hangup(client, peer)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_allow_half_open_server_side_keeps_writing_after_the_peer_ended() -> None:
    seen: list[str] = []

    def on_connection(sock: Socket) -> None:
        def on_end() -> None:
            seen.append("end")
            assert sock.writable
            sock.end(b"after your FIN")

        sock.on("end", on_end)
        sock.resume()

    server = await listening(twnet.createServer(on_connection, allowHalfOpen=True), 0, "::1")
    client = track(
        twnet.connect({"port": server.address().port, "host": "::1", "allowHalfOpen": True})
    )
    chunks: list[bytes] = []
    client.on("data", chunks.append)
    await event(client, "connect")
    client.end()
    await event(client, "end")
    assert b"".join(chunks) == b"after your FIN"
    assert seen == ["end"]
    await closed(client)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_without_allow_half_open_the_server_side_ends_with_the_peer() -> None:
    server = await listening(twnet.createServer(lambda s: s.resume()), 0, "127.0.0.1")
    client = await connect(server.address().port, "127.0.0.1", allowHalfOpen=True)
    client.resume()
    client.end()
    await event(client, "end")  # the server answered the FIN with its own
    await closed(client)
    await close(server)


# -- listen forms ---------------------------------------------------------------------------


def _cb_forms() -> list[Any]:
    # (id, args builder taking the callback, expected address, family)
    return [
        ("listen(cb)", lambda cb: (cb,), "::", "IPv6"),
        ("listen(0, cb)", lambda cb: (0, cb), "::", "IPv6"),
        ("listen(None, cb)", lambda cb: (None, cb), "::", "IPv6"),
        ("listen(0, host, cb)", lambda cb: (0, "127.0.0.1", cb), "127.0.0.1", "IPv4"),
        ("listen(0, host, 511, cb)", lambda cb: (0, "127.0.0.1", 511, cb), "127.0.0.1", "IPv4"),
        ("listen({port: 0}, cb)", lambda cb: ({"port": 0}, cb), "::", "IPv6"),
        ("listen({port, host}, cb)", lambda cb: ({"port": 0, "host": "::1"}, cb), "::1", "IPv6"),
        ("listen('0', cb)", lambda cb: ("0", cb), "::", "IPv6"),
        ("listen(0, 'localhost', cb)", lambda cb: (0, "localhost", cb), None, None),
    ]


@pytest.mark.parametrize(
    ("args", "address", "family"),
    [pytest.param(a, addr, fam, id=name) for name, a, addr, fam in _cb_forms()],
)
@pytest_twisted.ensureDeferred
async def test_listen_forms_with_callback(
    args: Callable[[Callable[[], None]], tuple[Any, ...]], address: str | None, family: str | None
) -> None:
    server = twnet.createServer(lambda s: s.end(b"hello"))
    heard: Deferred[None] = Deferred()
    assert server.listen(*args(lambda: heard.callback(None))) is server
    await wait(heard)
    info = server.address()
    assert set(info) == {"address", "family", "port"}
    assert info.port == info["port"] > 0
    if address is None:  # 'localhost': whatever it resolves to here
        assert info.address in ("127.0.0.1", "::1")
    else:
        assert (info.address, info.family) == (address, family)
    host = "127.0.0.1" if info.address in ("::", "127.0.0.1") else info.address
    client = await connect(info.port, host)
    client.resume()
    data = await event(client, "data")
    assert data == [b"hello"]
    await closed(client)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_listen_without_arguments() -> None:
    server = twnet.createServer()
    server.listen()
    await event(server, "listening")
    assert server.address().address == "::"
    assert server.address().family == "IPv6"
    await close(server)


@pytest_twisted.ensureDeferred
async def test_listen_keyword_arguments() -> None:
    server = await listening(twnet.createServer(), port=0, host="::1")
    assert server.address().address == "::1"
    assert server.address().family == "IPv6"
    await close(server)


@pytest_twisted.ensureDeferred
async def test_default_host_is_dual_stack() -> None:
    server = await listening(twnet.createServer(), 0)
    assert server.address().address == "::"
    client4, peer4 = await accept(server, server.address().port, "127.0.0.1")
    assert peer4.remoteAddress == "::ffff:127.0.0.1"
    assert peer4.remoteFamily == "IPv6"
    assert peer4.localAddress == "::ffff:127.0.0.1"
    assert client4.remoteAddress == "127.0.0.1"
    client6, peer6 = await accept(server, server.address().port, "::1")
    assert (peer6.remoteAddress, peer6.remoteFamily) == ("::1", "IPv6")
    await hangup(client4, peer4)
    await hangup(client6, peer6)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_backlog_defaults_to_511_and_reaches_twisted() -> None:
    default = await listening(twnet.createServer(), 0, "127.0.0.1")
    assert default._port.backlog == 511
    explicit = await listening(twnet.createServer(), 0, "127.0.0.1", 17)
    assert explicit._port.backlog == 17
    option = await listening(twnet.createServer(), {"port": 0, "backlog": 23})
    assert option._port.backlog == 23
    # Node ignores a backlog it cannot read as a number (toNumber -> false): the default
    ignored = await listening(twnet.createServer(), 0, "127.0.0.1", "many")
    assert ignored._port.backlog == 511
    for server in (default, explicit, option, ignored):
        await close(server)


@pytest_twisted.ensureDeferred
async def test_listen_unix_path(short_tmp: Path) -> None:
    path = str(short_tmp / "echo.sock")
    server = twnet.createServer(lambda s: s.pipe(s))
    heard: Deferred[None] = Deferred()
    server.listen(path, lambda: heard.callback(None))
    await wait(heard)
    assert server.address() == path
    assert os.path.exists(path)
    assert server._port.backlog == 511
    client = await connect(path)
    client.write(b"ping")
    assert await event(client, "data") == [b"ping"]
    client.end()
    await closed(client)
    await close(server)
    assert not os.path.exists(path)  # Node unlinks the socket file it created, too
    assert server.address() == path  # as Node: a closed UNIX server keeps its path


@pytest_twisted.ensureDeferred
async def test_listen_unix_path_with_backlog_and_options(short_tmp: Path) -> None:
    path = str(short_tmp / "b.sock")
    server = await listening(twnet.createServer(), path, 12)
    assert server._port.backlog == 12
    await close(server)
    server = await listening(twnet.createServer(), {"path": path, "backlog": 9})
    assert server._port.backlog == 9
    assert server.address() == path
    await close(server)


@pytest_twisted.ensureDeferred
async def test_unix_path_longer_than_sun_path_is_einval_asynchronously(short_tmp: Path) -> None:
    path = str(short_tmp / ("x" * 120))
    server = twnet.createServer()
    errors: list[BaseException] = []
    server.on("error", errors.append)
    server.listen(path)
    assert errors == []
    (err,) = await event(server, "error")
    assert err.code == "EINVAL"
    assert err.errno == errno.EINVAL
    assert err.syscall == "listen"
    assert err.address == path
    assert err.port == -1
    assert str(err) == f"listen EINVAL: invalid argument {path}"
    assert server.listening is False
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    ("family", "bind_to"),
    [
        (pysocket.AF_INET, ("127.0.0.1", 0)),
        (pysocket.AF_INET6, ("::1", 0)),
        (pysocket.AF_UNIX, None),
    ],
    ids=["IPv4", "IPv6", "UNIX"],
)
@pytest_twisted.ensureDeferred
async def test_listen_fd(family: int, bind_to: Any, short_tmp: Path) -> None:
    raw = pysocket.socket(family, pysocket.SOCK_STREAM)
    path = str(short_tmp / "fd.sock")
    raw.bind(bind_to if bind_to is not None else path)
    raw.listen(5)  # still blocking: twnet makes it non-blocking, as Node does
    try:
        server = await listening(
            twnet.createServer(lambda s: s.end(b"via fd")), {"fd": raw.fileno()}
        )
        assert os.get_blocking(raw.fileno()) is False  # shared file status flags
        info = server.address()
        if family == pysocket.AF_UNIX:
            assert info == path
            target: tuple[Any, ...] = (path,)
        else:
            assert info.address == bind_to[0]
            assert info.family == ("IPv4" if family == pysocket.AF_INET else "IPv6")
            assert info.port == raw.getsockname()[1]
            target = (info.port, info.address)
        client = await connect(*target)
        client.resume()
        assert await event(client, "data") == [b"via fd"]
        await closed(client)
        await close(server)
        await next_turn()  # the accepted socket's 'close' comes one turn after the server's
        # the descriptor we passed is still ours, and (UNIX) the file was not removed
        assert raw.getsockname() is not None
        if family == pysocket.AF_UNIX:
            assert os.path.exists(path)
    finally:
        raw.close()


@pytest_twisted.ensureDeferred
async def test_listen_on_another_server_shares_its_socket() -> None:
    first = await listening(twnet.createServer(lambda s: s.end(b"first")), 0, "127.0.0.1")
    second = await listening(twnet.createServer(lambda s: s.end(b"second")), first)
    assert second.address() == first.address()
    await close(second)
    assert first.listening
    client = await connect(first.address().port, "127.0.0.1")
    client.resume()
    assert await event(client, "data") == [b"first"]
    await closed(client)
    await close(first)


@pytest_twisted.ensureDeferred
async def test_listen_on_another_unix_server_leaves_its_file(short_tmp: Path) -> None:
    path = str(short_tmp / "shared.sock")
    first = await listening(twnet.createServer(), path)
    second = await listening(twnet.createServer(), {"handle": first})
    assert second.address() == path
    await close(second)
    assert os.path.exists(path)  # only the server that bound the path unlinks it
    await close(first)
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "make",
    [
        lambda: TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1"),
        lambda: serverFromString(reactor, "tcp:0:interface=127.0.0.1"),
    ],
    ids=["TCP4ServerEndpoint", "serverFromString"],
)
@pytest_twisted.ensureDeferred
async def test_listen_twisted_endpoint(make: Callable[[], Any]) -> None:
    server = twnet.createServer(lambda s: s.end(b"endpoint"))
    heard: Deferred[None] = Deferred()
    server.listen(make(), lambda: heard.callback(None))
    await wait(heard)
    info = server.address()
    assert (info.address, info.family) == ("127.0.0.1", "IPv4")
    client = await connect(info.port, "127.0.0.1")
    client.resume()
    assert await event(client, "data") == [b"endpoint"]
    await closed(client)
    await close(server)
    assert server.address() is None


@pytest_twisted.ensureDeferred
async def test_ipv6_only_refuses_ipv4_clients() -> None:
    server = await listening(twnet.createServer(), {"port": 0, "host": "::", "ipv6Only": True})
    port = server.address().port
    refused = track(twnet.connect(port, "127.0.0.1"))
    errors: list[Any] = []
    refused.on("error", errors.append)
    await closed(refused)
    assert [e.code for e in errors] == ["ECONNREFUSED"]
    client, peer = await accept(server, port, "::1")
    await hangup(client, peer)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_reuse_port_and_exclusive_are_accepted() -> None:
    first = await listening(
        twnet.createServer(), {"port": 0, "host": "127.0.0.1", "reusePort": True}
    )
    port = first.address().port
    second = await listening(twnet.createServer(), port=port, host="127.0.0.1", reuse_port=True)
    assert second.address().port == port
    third = await listening(twnet.createServer(), {"port": 0, "exclusive": True})
    for server in (first, second, third):
        await close(server)


@pytest_twisted.ensureDeferred
async def test_listen_on_a_listening_server_raises() -> None:
    server = twnet.createServer().listen(0)
    with pytest.raises(NodeError) as info:
        server.listen(0)
    assert info.value.code == "ERR_SERVER_ALREADY_LISTEN"
    assert str(info.value) == "Listen method has been called more than once without closing."
    await event(server, "listening")
    with pytest.raises(NodeError, match="more than once"):
        server.listen({"port": 0})
    await close(server)


@pytest_twisted.ensureDeferred
async def test_listen_again_after_close() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    await close(server)
    await listening(server, 0, "127.0.0.1")
    assert server.listening
    await close(server)


@pytest_twisted.ensureDeferred
async def test_eaddrinuse_retry_as_in_the_spec() -> None:
    taken = await listening(twnet.createServer(), 0, "127.0.0.1")
    port = taken.address().port
    server = twnet.createServer()
    retried: Deferred[None] = Deferred()
    codes: list[str] = []

    def on_error(err: Any) -> None:
        codes.append(err.code)
        if err.code == "EADDRINUSE":
            server.close()
            server.listen(0, "127.0.0.1")

    server.on("error", on_error)
    server.on("listening", lambda: retried.callback(None))
    server.listen(port, "127.0.0.1")
    await wait(retried)
    assert codes == ["EADDRINUSE"]
    assert server.address().port not in (0, port)
    await close(server)
    await close(taken)


BAD_LISTEN = [
    (
        lambda s: s.listen(70000),
        "ERR_SOCKET_BAD_PORT",
        ValueError,
        "options.port should be >= 0 and < 65536. Received type int (70000).",
    ),
    (
        lambda s: s.listen(-1),
        "ERR_SOCKET_BAD_PORT",
        ValueError,
        "options.port should be >= 0 and < 65536. Received type int (-1).",
    ),
    (
        lambda s: s.listen(1.5),
        "ERR_SOCKET_BAD_PORT",
        ValueError,
        "options.port should be >= 0 and < 65536. Received type float (1.5).",
    ),
    (
        lambda s: s.listen({"port": "abc"}),
        "ERR_SOCKET_BAD_PORT",
        ValueError,
        "options.port should be >= 0 and < 65536. Received type str ('abc').",
    ),
    (
        lambda s: s.listen(port=70000),
        "ERR_SOCKET_BAD_PORT",
        ValueError,
        "options.port should be >= 0 and < 65536. Received type int (70000).",
    ),
    (
        lambda s: s.listen({"port": True}),
        "ERR_INVALID_ARG_VALUE",
        TypeError,
        "The argument 'options' is invalid. Received {'port': True}",
    ),
    (
        lambda s: s.listen({}),
        "ERR_INVALID_ARG_VALUE",
        TypeError,
        'The argument \'options\' must have the property "port" or "path". Received {}',
    ),
    (
        lambda s: s.listen({"fd": -1}),
        "ERR_INVALID_ARG_VALUE",
        TypeError,
        "The argument 'options' must have the property \"port\" or \"path\". Received {'fd': -1}",
    ),
    (
        lambda s: s.listen({"path": 1}),
        "ERR_INVALID_ARG_VALUE",
        TypeError,
        "The argument 'options' is invalid. Received {'path': 1}",
    ),
    (
        lambda s: s.listen({"port": 0, "host": 1}),
        "ERR_INVALID_ARG_TYPE",
        TypeError,
        'The "hostname" argument must be of type string. Received type int (1)',
    ),
    (
        lambda s: s.getConnections(None),
        "ERR_INVALID_ARG_TYPE",
        TypeError,
        'The "callback" argument must be of type function. Received None',
    ),
]


@pytest.mark.parametrize(("call", "code", "cls", "message"), BAD_LISTEN)
def test_bad_listen_arguments_raise_at_once(
    call: Callable[[Server], Any], code: str, cls: type[Exception], message: str
) -> None:
    server = twnet.createServer()
    with pytest.raises(cls) as info:
        call(server)
    assert isinstance(info.value, NodeError)
    assert info.value.code == code
    assert str(info.value) == message
    assert server.listening is False
    assert server._port is None


# -- events ---------------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_listening_is_emitted_asynchronously() -> None:
    server = twnet.createServer()
    log: list[str] = []
    server.listen(0, "127.0.0.1", lambda: log.append("cb"))
    assert log == []
    # with a host Node looks it up first, even an IP literal: not bound yet
    assert server.listening is False
    assert server.address() is None
    server.on("listening", lambda: log.append("late listener"))
    await event(server, "listening")
    assert log == ["cb", "late listener"]
    await close(server)


@pytest_twisted.ensureDeferred
async def test_without_a_host_listen_binds_at_once() -> None:
    server = twnet.createServer()
    heard: list[str] = []
    server.listen(0, lambda: heard.append("cb"))
    assert server.listening is True  # Node 24 binds inside listen() when no lookup is needed
    assert server.address().port > 0
    assert heard == []
    await event(server, "listening")
    await close(server)


@pytest_twisted.ensureDeferred
async def test_close_during_the_lookup() -> None:
    server = twnet.createServer()
    server.on("listening", lambda: pytest.fail("listening after close()"))
    server.listen(0, "127.0.0.1")
    assert is_held(server)
    got: Deferred[Any] = Deferred()
    server.close(got.callback)
    err = await wait(got)
    assert err.code == "ERR_SERVER_NOT_RUNNING"
    assert not is_held(server)
    await turns()
    assert not server.listening


@pytest_twisted.ensureDeferred
async def test_a_second_listen_during_the_lookup_replaces_the_first() -> None:
    server = twnet.createServer()
    heard: list[str] = []
    server.on("listening", lambda: heard.append("listening"))
    server.listen(0, "127.0.0.1")
    server.listen(0, "::1")  # Node allows it: no handle yet
    await event(server, "listening")
    await turns()
    assert heard == ["listening"]
    assert server.address().address == "::1"
    await close(server)


@pytest.mark.parametrize("kind", ["unix", "endpoint", "fd"])
@pytest_twisted.ensureDeferred
async def test_listening_is_asynchronous_for_every_form(kind: str, short_tmp: Path) -> None:
    raw = pysocket.socket()
    raw.bind(("127.0.0.1", 0))
    raw.listen(1)
    target = {
        "unix": str(short_tmp / "a.sock"),
        "endpoint": TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1"),
        "fd": {"fd": raw.fileno()},
    }[kind]
    server = twnet.createServer()
    log: list[str] = []
    server.listen(target, lambda: log.append("cb"))
    assert log == []
    await event(server, "listening")
    assert log == ["cb"]
    await close(server)
    raw.close()


@pytest_twisted.ensureDeferred
async def test_connection_event_gives_a_twnet_socket() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    assert isinstance(peer, Socket)
    assert peer.server is server
    assert peer.remotePort == client.localPort
    assert peer.localPort == server.address().port
    assert peer.readyState == "open"
    await hangup(client, peer)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_eaddrinuse_error() -> None:
    taken = await listening(twnet.createServer(), 0, "127.0.0.1")
    port = taken.address().port
    server = twnet.createServer()
    server.listen(port, "127.0.0.1")
    server.on("error", lambda err: None)  # attached after listen(): still hears it
    (err,) = await event(server, "error")
    assert isinstance(err, OSError)
    assert isinstance(err, NodeError)
    assert err.code == "EADDRINUSE"
    assert err.errno == errno.EADDRINUSE
    assert err.syscall == "listen"
    assert err.address == "127.0.0.1"
    assert err.port == port
    assert str(err) == f"listen EADDRINUSE: address already in use 127.0.0.1:{port}"
    assert server.listening is False
    assert server.address() is None
    await close(taken)


@pytest_twisted.ensureDeferred
async def test_eaddrinuse_on_the_default_host() -> None:
    taken = await listening(twnet.createServer(), 0)
    port = taken.address().port
    server = twnet.createServer().listen(port)
    (err,) = await event(server, "error")
    assert str(err) == f"listen EADDRINUSE: address already in use :::{port}"
    assert (err.address, err.port) == ("::", port)
    assert not server.listening
    await close(taken)


@pytest_twisted.ensureDeferred
async def test_eaddrnotavail_error() -> None:
    probe = pysocket.socket(pysocket.AF_INET6, pysocket.SOCK_STREAM)
    try:
        probe.bind(("::2", 0))
    except OSError as exc:
        if exc.errno != errno.EADDRNOTAVAIL:
            pytest.skip(f"binding ::2 fails with {exc}")
    else:
        pytest.skip("::2 is an address of this machine")
    finally:
        probe.close()
    server = twnet.createServer().listen(0, "::2")
    (err,) = await event(server, "error")
    assert err.code == "EADDRNOTAVAIL"
    assert err.errno == errno.EADDRNOTAVAIL
    assert err.syscall == "listen"
    assert err.address == "::2"
    assert err.port is None  # Node leaves the port out when it is 0
    assert str(err) == "listen EADDRNOTAVAIL: address not available ::2"
    assert not server.listening


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root may bind privileged ports: EACCES cannot be provoked",
)
@pytest_twisted.ensureDeferred
async def test_eacces_error() -> None:  # pragma: no cover - needs an unprivileged user
    server = twnet.createServer().listen(1, "127.0.0.1")
    (err,) = await event(server, "error")
    assert isinstance(err, PermissionError)
    assert err.code == "EACCES"
    assert str(err) == "listen EACCES: permission denied 127.0.0.1:1"


@pytest_twisted.ensureDeferred
async def test_close_waits_for_every_connection() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    port = server.address().port
    client1, peer1 = await accept(server, port, "127.0.0.1")
    client2, peer2 = await accept(server, port, "127.0.0.1")
    closes: list[Any] = []
    server.on("close", lambda *args: closes.append(args))
    callback: list[Any] = []
    server.close(lambda *args: callback.append(args))
    assert not server.listening
    assert server.address() is None
    # stops accepting at once
    refused = track(twnet.connect(port, "127.0.0.1"))
    refused.on("error", lambda err: None)
    await closed(refused)
    # existing connections keep working
    peer1.write(b"still here")
    client1.resume()
    assert await event(client1, "data") == [b"still here"]
    await hangup(client1, peer1)
    await turns()
    assert closes == []
    await hangup(client2, peer2)
    await turns()
    assert closes == [()]
    assert callback == [()]


@pytest_twisted.ensureDeferred
async def test_close_twice_emits_close_twice() -> None:
    # Node 24: 'close' 1, the second close()'s callback with ERR_SERVER_NOT_RUNNING, 'close' 2
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    log: list[Any] = []
    server.on("close", lambda: log.append("close"))
    server.close()
    server.close(lambda err=None: log.append(err.code if err else None))
    await turns()
    assert log == ["close", "ERR_SERVER_NOT_RUNNING", "close"]


@pytest_twisted.ensureDeferred
async def test_close_emits_close_once_when_the_last_connection_ends() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    log: list[str] = []
    server.on("close", lambda: log.append("close"))
    server.close()
    server.close()  # no 'close' yet: a connection is open
    await turns()
    assert log == []
    await hangup(client, peer)
    await turns()
    assert log == ["close"]


@pytest_twisted.ensureDeferred
async def test_close_when_not_running() -> None:
    server = twnet.createServer()
    results: list[Any] = []
    server.on("close", lambda: results.append("close event"))
    assert server.close(lambda err=None: results.append(err)) is server
    assert results == []  # asynchronous
    await event(server, "close")
    await turns(1)
    err = next(r for r in results if r != "close event")
    assert err.code == "ERR_SERVER_NOT_RUNNING"
    assert str(err) == "Server is not running."
    assert "close event" in results


@pytest_twisted.ensureDeferred
async def test_close_after_a_failed_listen_reports_not_running() -> None:
    taken = await listening(twnet.createServer(), 0, "127.0.0.1")
    server = twnet.createServer().listen(taken.address().port, "127.0.0.1")
    await event(server, "error")
    got: Deferred[Any] = Deferred()
    server.close(got.callback)
    err = await wait(got)
    assert err.code == "ERR_SERVER_NOT_RUNNING"
    await close(taken)


# -- properties and methods -----------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_address_lifecycle() -> None:
    server = twnet.createServer()
    assert server.address() is None
    await listening(server, 0, "127.0.0.1")
    info = server.address()
    assert info == {"address": "127.0.0.1", "family": "IPv4", "port": info.port}
    assert isinstance(info, dict)
    await close(server)
    assert server.address() is None


@pytest_twisted.ensureDeferred
async def test_connections_and_get_connections() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    with pytest.warns(DeprecationWarning, match="getConnections"):
        assert server.connections == 1
    counted: list[Any] = []
    got: Deferred[None] = Deferred()
    assert server.getConnections(lambda *a: (counted.append(a), got.callback(None))) is server
    assert counted == []
    await wait(got)
    assert counted == [(None, 1)]
    await hangup(client, peer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert server.connections == 0
    await close(server)


@pytest_twisted.ensureDeferred
async def test_max_connections_drops_and_emits_drop() -> None:
    server = await listening(twnet.createServer(), 0, "127.0.0.1")
    server.maxConnections = 1
    port = server.address().port
    client1, peer1 = await accept(server, port, "127.0.0.1")
    dropped = once(server, "drop")
    connections: list[Any] = []
    server.on("connection", connections.append)
    client2 = track(twnet.connect(port, "127.0.0.1"))
    client2.on("error", lambda err: None)
    (info,) = await wait(dropped)
    await closed(client2)
    assert connections == []
    assert info == {
        "localAddress": "127.0.0.1",
        "localPort": port,
        "localFamily": "IPv4",
        "remoteAddress": "127.0.0.1",
        "remotePort": info["remotePort"],
        "remoteFamily": "IPv4",
    }
    assert info["remotePort"] > 0
    getcount: Deferred[list[Any]] = Deferred()
    server.getConnections(lambda *a: getcount.callback(list(a)))
    assert await wait(getcount) == [None, 1]
    await hangup(client1, peer1)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_max_connections_zero_drops_everything() -> None:
    server = twnet.createServer()
    server.max_connections = 0
    await listening(server, 0, "127.0.0.1")
    dropped = once(server, "drop")
    client = track(twnet.connect(server.address().port, "127.0.0.1"))
    client.on("error", lambda err: None)
    await wait(dropped)
    await closed(client)
    await close(server)


@pytest_twisted.ensureDeferred
async def test_ref_and_unref() -> None:
    server = twnet.createServer()
    assert server.unref() is server
    assert server.ref() is server
    assert not is_held(server)  # not listening: nothing to hold
    await listening(server, 0, "127.0.0.1")
    assert is_held(server)
    assert server.unref() is server
    assert not is_held(server)
    assert server.ref() is server
    assert is_held(server)
    server.unref()
    await close(server)
    assert not is_held(server)
    # unref() before listen() is remembered
    await listening(server, 0, "127.0.0.1")
    assert not is_held(server)
    server.ref()
    await close(server)
    assert not is_held(server)


@pytest_twisted.ensureDeferred
async def test_pause_on_connect_reads_nothing_until_resume() -> None:
    server = await listening(twnet.createServer(pauseOnConnect=True), 0, "127.0.0.1")
    client, peer = await accept(server, server.address().port, "127.0.0.1")
    assert peer.isPaused()
    client.write(b"early bytes")
    await turns(5)
    assert peer.bytesRead == 0
    received = once(peer, "data")
    peer.resume()
    assert await wait(received) == [b"early bytes"]
    assert peer.bytesRead == len(b"early bytes")
    await hangup(client, peer)
    await close(server)


# -- UNIX socket files ----------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_stale_unix_socket_file_is_eaddrinuse(short_tmp: Path) -> None:
    path = str(short_tmp / "stale.sock")
    unix_listener(path).close()  # the file stays behind
    assert os.path.exists(path)
    server = twnet.createServer().listen(path)
    (err,) = await event(server, "error")
    assert err.code == "EADDRINUSE"
    assert err.syscall == "listen"
    assert err.address == path
    assert err.port == -1
    assert str(err) == f"listen EADDRINUSE: address already in use {path}"
    assert os.path.exists(path)  # not removed: twnet did not create it
    assert not server.listening


@pytest_twisted.ensureDeferred
async def test_a_regular_file_at_the_path_is_kept(short_tmp: Path) -> None:
    path = short_tmp / "regular"
    path.write_text("mine")
    server = twnet.createServer().listen(str(path))
    (err,) = await event(server, "error")
    assert err.code == "EADDRINUSE"
    assert path.read_text() == "mine"


@pytest_twisted.ensureDeferred
async def test_unix_socket_keeps_the_umask_mode(short_tmp: Path) -> None:
    path = str(short_tmp / "mode.sock")
    server = await listening(twnet.createServer(), path)
    mask = os.umask(0)
    os.umask(mask)
    # Node does not chmod the socket file it binds: bind() makes it 0777 & ~umask
    assert os.stat(path).st_mode & 0o777 == 0o777 & ~mask
    await close(server)
