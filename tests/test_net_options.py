"""Node 24's newer net options over real loopback sockets: ``blockList`` (connect and
createServer), ``onread``, ``typeOfService`` / ``setTypeOfService``, ``readableAll`` /
``writableAll`` (issue 15). Node's exact behaviour is pinned by the parity scenarios
``blocklist_*``, ``onread*``, ``type_of_service`` and ``listen_unix_modes``."""

from __future__ import annotations

import errno
import os
import socket as pysocket
from typing import Any

import pytest
import pytest_twisted

import twnet
import twnet as net
from tests._sockets import next_turn
from tests.test_socket import close_server, closed, listen, record

# -- blockList ---------------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_connect_to_a_blocked_address_fails_and_reaches_nobody() -> None:
    server = net.createServer()
    accepted: list[Any] = []
    server.on("connection", accepted.append)
    port = await listen(server)
    blocked = net.BlockList()
    blocked.addSubnet("127.0.0.0", 8)
    client = net.connect(port=port, host="127.0.0.1", block_list=blocked)
    log: list[Any] = []
    record(client, log, "connectionAttempt", "connect", "error", "close")
    await closed(client)
    assert [entry[0] for entry in log] == ["connectionAttempt", "error", "close"]
    error = log[1][1]
    assert error.code == "ERR_IP_BLOCKED"
    assert str(error) == "IP(127.0.0.1) is blocked by net.BlockList"
    assert log[2][1] is True
    assert client.blockList is blocked and client.block_list is blocked
    await close_server(server)
    assert accepted == []


@pytest_twisted.ensureDeferred
async def test_server_block_list_is_read_at_each_accept() -> None:
    rules = net.BlockList()
    rules.addAddress("127.0.0.1")
    server = net.createServer(block_list=rules)
    accepted: list[Any] = []
    drops: list[Any] = []
    server.on("connection", lambda c: (accepted.append(c), c.end("hi")))
    server.on("drop", drops.append)
    assert server.blockList is rules and server.block_list is rules
    port = await listen(server)

    async def visit() -> list[Any]:
        client = net.connect(port, "127.0.0.1")
        log: list[Any] = []
        record(client, log, "connect", "data", "end", "error", "close")
        await closed(client)
        return [entry[0] for entry in log]

    assert await visit() == ["connect", "end", "close"]
    rules.removeAddress("127.0.0.1")  # the live list decides
    assert await visit() == ["connect", "data", "end", "close"]
    server.blockList = None
    assert len(accepted) == 1 and drops == []
    await close_server(server)


def test_block_list_option_validation() -> None:
    for bad in ({}, [], "x", 1, net.SocketAddress()):
        with pytest.raises(twnet.NodeTypeError) as info:
            net.Socket({"blockList": bad})
        assert info.value.code == "ERR_INVALID_ARG_TYPE"
        assert "must be an net.BlockList" in str(info.value)
        with pytest.raises(twnet.NodeTypeError):
            net.createServer({"blockList": bad})
    for falsy in (None, False, 0, ""):
        assert net.Socket({"blockList": falsy}).blockList is None
        assert net.createServer({"blockList": falsy}).blockList is None


@pytest_twisted.ensureDeferred
async def test_every_address_blocked_gives_an_aggregate_error() -> None:
    everything = net.BlockList()
    everything.addSubnet("::", 0, "ipv6")

    def lookup(host: str, options: dict[str, Any], callback: Any) -> None:
        callback(None, [{"address": "127.0.0.1", "family": 4}, {"address": "::1", "family": 6}])

    client = net.Socket(blockList=everything)
    failed: list[Any] = []
    client.on("connectionAttemptFailed", lambda *args: failed.append(args))
    errors: list[Any] = []
    client.on("error", errors.append)
    client.connect({"port": 9, "host": "two.test", "lookup": lookup})
    await closed(client)
    (error,) = errors
    assert isinstance(error, twnet.NodeAggregateError) and error.code == "ERR_IP_BLOCKED"
    assert [str(e) for e in error.errors] == [
        "IP(127.0.0.1) is blocked by net.BlockList",
        "IP(::1) is blocked by net.BlockList",
    ]
    assert [f[0] for f in failed] == ["127.0.0.1", "::1"]
    assert client.autoSelectFamilyAttemptedAddresses == []


# -- typeOfService -----------------------------------------------------------------------------


def test_type_of_service_validation() -> None:
    s = net.Socket()
    for bad, code in [
        (-1, "ERR_OUT_OF_RANGE"),
        (256, "ERR_OUT_OF_RANGE"),
        (1.5, "ERR_OUT_OF_RANGE"),
        (float("nan"), "ERR_INVALID_ARG_TYPE"),
        ("8", "ERR_INVALID_ARG_TYPE"),
        (True, "ERR_INVALID_ARG_TYPE"),
        (None, "ERR_INVALID_ARG_TYPE"),
    ]:
        with pytest.raises(twnet.NodeError) as info:
            s.setTypeOfService(bad)
        assert info.value.code == code, bad
    assert s.getTypeOfService() == 0  # nothing kept from the refused values
    assert s.set_type_of_service(8.0) is s and s.get_type_of_service() == 8
    with pytest.raises(twnet.NodeRangeError):
        net.Socket(type_of_service=-1)
    assert net.Socket(typeOfService=None).getTypeOfService() == 0


@pytest.mark.parametrize(("host", "level", "option"), [
    ("127.0.0.1", pysocket.IPPROTO_IP, pysocket.IP_TOS),
    ("::1", pysocket.IPPROTO_IPV6, pysocket.IPV6_TCLASS),
])  # fmt: skip
@pytest_twisted.ensureDeferred
async def test_type_of_service_reaches_the_socket(host: str, level: int, option: int) -> None:
    server = net.createServer(lambda c: c.end())
    port = await listen(server, 0, host)
    client = net.connect({"port": port, "host": host, "typeOfService": 0x28})
    await twnet.once(client, "connect")
    handle = client._handle.transport.getHandle()
    assert handle.getsockopt(level, option) == 0x28 == client.getTypeOfService()
    client.setTypeOfService(0xB8)
    assert handle.getsockopt(level, option) == 0xB8 == client.getTypeOfService()
    client.resume()
    await closed(client)
    assert client.getTypeOfService() == 0xB8  # the value last set, once closed
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_type_of_service_errors_from_the_system() -> None:
    server = net.createServer(lambda c: c.end())
    port = await listen(server)
    client = net.connect(port, "127.0.0.1")
    await twnet.once(client, "connect")

    class Refusing:
        family = pysocket.AF_INET

        def setsockopt(self, *args: Any) -> None:
            raise PermissionError(errno.EPERM, "no")

        def getsockopt(self, *args: Any) -> int:
            raise OSError(errno.ENOTSOCK, "no")

    real = client._handle.transport.getHandle
    client._handle.transport.getHandle = Refusing
    try:
        with pytest.raises(PermissionError) as info:
            client.setTypeOfService(4)
        assert info.value.code == "EPERM" and info.value.syscall == "setTypeOfService"
        assert str(info.value) == "setTypeOfService EPERM"
        with pytest.raises(twnet.NodeSystemError) as got:
            client.getTypeOfService()
        assert got.value.code == "ENOTSOCK" and got.value.syscall == "getTypeOfService"
    finally:
        client._handle.transport.getHandle = real
    client.resume()
    await closed(client)
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_type_of_service_is_ebadf_before_the_attempt_starts() -> None:
    client = net.connect(9, "127.0.0.1")  # the attempt starts on the next tick
    with pytest.raises(twnet.NodeSystemError) as info:
        client.getTypeOfService()
    assert info.value.code == "EBADF" and str(info.value) == "getTypeOfService EBADF"
    with pytest.raises(twnet.NodeSystemError):
        client.setTypeOfService(0x20)
    client.destroy()
    assert client.getTypeOfService() == 0x20  # kept, as Node keeps it
    await closed(client)


# -- onread ------------------------------------------------------------------------------------


async def _read_all(onread: Any, payload: bytes = b"hello world") -> tuple[list[Any], net.Socket]:
    server = net.createServer(lambda c: c.end(payload))
    port = await listen(server)
    client = net.connect(port=port, host="127.0.0.1", onread=onread)
    events: list[Any] = []
    client.on("data", lambda d: events.append(("data", d)))
    client.on("end", lambda: events.append(("end", client.bytesRead)))
    await closed(client)
    await close_server(server)
    return events, client


@pytest_twisted.ensureDeferred
async def test_onread_fills_the_buffer_piece_by_piece() -> None:
    got: list[bytes] = []
    buffer = bytearray(4)
    events, _ = await _read_all(
        {"buffer": buffer, "callback": lambda n, buf: got.append(bytes(buf[:n]))}
    )
    assert got == [b"hell", b"o wo", b"rld"]
    assert events == [("end", 11)]


@pytest_twisted.ensureDeferred
async def test_onread_buffer_function_results_that_are_no_buffer_are_ignored() -> None:
    answers = iter([bytearray(3), memoryview(b"frozen"), None, bytearray(100), None])
    seen: list[tuple[int, int]] = []
    events, _ = await _read_all(
        {"buffer": lambda: next(answers), "callback": lambda n, buf: seen.append((n, len(buf)))}
    )
    # 3-byte buffer three times (the refused answers keep it), then the 100-byte one.
    assert seen == [(3, 3), (3, 3), (3, 3), (2, 100)]
    assert events == [("end", 11)]


@pytest_twisted.ensureDeferred
async def test_onread_of_another_shape_is_ignored_as_in_node() -> None:
    for shape in (
        {"buffer": b"immutable", "callback": lambda *a: None},
        {"buffer": bytearray(4)},
        {"callback": lambda *a: None},
        "onread",
    ):
        events, _ = await _read_all(shape)
        assert events == [("data", b"hello world"), ("end", 11)], shape


@pytest_twisted.ensureDeferred
async def test_onread_false_pauses_and_keeps_the_rest_for_resume() -> None:
    server = net.createServer(lambda c: c.end(b"abcdefgh"))
    port = await listen(server)
    got: list[bytes] = []

    def callback(nread: int, buf: bytearray) -> bool:
        got.append(bytes(buf[:nread]))
        return len(got) != 2  # False after the second read

    client = net.Socket(onread={"buffer": bytearray(2), "callback": callback})
    client.connect(port, "127.0.0.1")
    for _ in range(200):  # bounded: the data arrives within a few turns
        if len(got) >= 2:
            break
        await next_turn()
    for _ in range(3):
        await next_turn()
    assert got == [b"ab", b"cd"] and not client.readableEnded  # nothing while stopped
    client.resume()
    await closed(client)
    assert got == [b"ab", b"cd", b"ef", b"gh"]
    assert client.bytesRead == 8
    await close_server(server)


# -- readableAll / writableAll -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "mode"),
    [
        ({"readableAll": True}, 0o444),
        ({"writable_all": True}, 0o222),
        ({"readableAll": True, "writableAll": True}, 0o666),
    ],
)
@pytest_twisted.ensureDeferred
async def test_readable_all_writable_all_set_the_socket_file_mode(
    options: dict[str, Any], mode: int, tmp_path: Any
) -> None:
    path = str(tmp_path / "s.sock")
    server = net.createServer()
    server.listen(path, **options)
    await twnet.once(server, "listening")
    assert os.stat(path).st_mode & 0o777 == mode
    await close_server(server)
    assert not os.path.exists(path)


def test_abstract_path_refuses_readable_all_and_writable_all() -> None:
    server = net.createServer()
    for options in ({"readableAll": True}, {"writableAll": "yes"}):
        with pytest.raises(twnet.NodeTypeError) as info:
            server.listen({"path": "\0twnet-test-abstract", **options})
        assert info.value.code == "ERR_INVALID_ARG_VALUE"
        assert "when path is abstract unix socket" in str(info.value)
    assert not server.listening and server.address() is None


# -- setKeepAlive(enable, initialDelay, interval, count) -----------------------------------------


def _keep_alive_state(sock: net.Socket) -> tuple[int, int, int, int]:
    handle = sock._handle.transport.getHandle()
    return (
        handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE),
        handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE),
        handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPINTVL),
        handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPCNT),
    )


@pytest_twisted.ensureDeferred
async def test_set_keep_alive_sets_what_node_24_sets() -> None:
    # Expectations from strace of Node 24.22: all three options or none of them.
    server = net.createServer({"keepAlive": True, "keepAliveInitialDelay": 4000})
    accepted = twnet.once(server, "connection")
    port = await listen(server)
    client = net.connect(
        port=port, host="127.0.0.1", keep_alive=True, keep_alive_initial_delay=3000
    )
    await twnet.once(client, "connect")
    (conn,) = await accepted
    assert _keep_alive_state(client) == (1, 3, 1, 10)
    assert _keep_alive_state(conn) == (1, 4, 1, 10)
    steps: list[tuple[tuple[Any, ...], tuple[int, int, int, int]]] = [
        ((True, 5000), (1, 5, 1, 10)),
        ((True, 5000, 3000, 4), (1, 5, 3, 4)),
        (({"enable": True, "initialDelay": 2000, "interval": 500, "count": 0},), (1, 5, 3, 4)),
        ((True, 2000, None, 5), (1, 2, 1, 5)),
        ((True, 2000, 3000), (1, 2, 3, 10)),
        ((True, 7000, 3000, "4"), (1, 7, 3, 10)),
        ((True, 0, 3000, 5), (1, 7, 3, 10)),
        (({},), (0, 7, 3, 10)),
        ((True, 99999999, 99999999, 99999), (1, 7, 3, 10)),  # EINVAL, ignored as in Node
        (({"enable": True, "initial_delay": 3000, "interval": 4000, "count": 6},), (1, 3, 4, 6)),
        ((False,), (0, 3, 4, 6)),
    ]
    for args, expected in steps:
        assert client.setKeepAlive(*args) is client
        assert _keep_alive_state(client) == expected, args
    client.resume()
    conn.end()
    await closed(client)
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_set_keep_alive_before_connect_keeps_interval_and_count() -> None:
    server = net.createServer(lambda c: c.end())
    port = await listen(server)
    client = net.Socket().set_keep_alive(True, 2000, 5000, 3)
    client.connect(port, "127.0.0.1")
    await twnet.once(client, "connect")
    assert _keep_alive_state(client) == (1, 2, 5, 3)
    client.resume()
    await closed(client)
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_onread_callback_destroying_the_socket_ends_the_reads() -> None:
    got: list[int] = []
    holder: list[net.Socket] = []

    def callback(nread: int, buf: bytearray) -> None:
        got.append(nread)
        holder[0].destroy()

    server = net.createServer(lambda c: c.end(b"x" * 64))
    port = await listen(server)
    client = net.Socket(onread={"buffer": bytearray(8), "callback": callback})
    holder.append(client)
    client.connect(port, "127.0.0.1")
    await closed(client)
    assert got == [8]  # the rest of the chunk was never handed over
    await close_server(server)
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest_twisted.ensureDeferred
async def test_onread_paused_before_connect_reads_nothing_until_resume() -> None:
    server = net.createServer(lambda c: c.end(b"abc"))
    port = await listen(server)
    got: list[bytes] = []
    onread = {"buffer": bytearray(8), "callback": lambda n, b: got.append(bytes(b[:n]))}
    client = net.Socket(onread=onread)
    client.pause()
    client.connect(port, "127.0.0.1")
    await twnet.once(client, "connect")
    for _ in range(5):
        await next_turn()
    assert got == [] and client.bytesRead == 0
    client.resume()
    await closed(client)
    assert got == [b"abc"]
    await close_server(server)


@pytest_twisted.ensureDeferred
async def test_block_list_applies_again_when_a_socket_reconnects() -> None:
    server = net.createServer(lambda c: c.end())
    port = await listen(server)
    rules = net.BlockList()
    client = net.Socket(blockList=rules)
    client.connect(port, "127.0.0.1")
    client.resume()
    await closed(client)
    rules.addAddress("127.0.0.1")
    errors: list[Any] = []
    client.on("error", errors.append)
    client.connect(port, "127.0.0.1")
    await closed(client)
    assert [e.code for e in errors] == ["ERR_IP_BLOCKED"]
    await close_server(server)
