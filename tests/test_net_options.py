"""Node 24's newer net options over real loopback sockets: ``blockList`` (connect and
createServer), ``onread``, ``typeOfService`` / ``setTypeOfService``, ``readableAll`` /
``writableAll`` (issue 15). Node's exact behaviour is pinned by the parity scenarios
``blocklist_*``, ``onread*``, ``type_of_service`` and ``listen_unix_modes``."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted

import twnet
import twnet as net
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
