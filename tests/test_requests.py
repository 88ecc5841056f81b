"""The argument triage of connect() and listen() as request records (twnet._requests), and
the server's life as a state (ServerState). The errors themselves are compared with Node 24
by tests/badinput; these pin the records the facades act on."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet import endpoints, reactor

import twnet
from twnet._errors import NodeError
from twnet._requests import ConnectRequest, ListenRequest, connect_request, listen_request
from twnet._server import ServerState


def cb() -> None:
    pass


def test_connect_forms() -> None:
    assert connect_request((8124,), {}) == ConnectRequest(None, port=8124)
    assert connect_request((8124, "::1", cb), {}) == ConnectRequest(cb, host="::1", port=8124)
    got = connect_request(({"port": "80", "local_address": "127.0.0.1"},), {"family": 4})
    assert (got.port, got.local_address, got.family, got.host) == (80, "127.0.0.1", 4, "localhost")
    assert connect_request(("/tmp/x.sock", cb), {}) == ConnectRequest(cb, path="/tmp/x.sock")
    endpoint = endpoints.TCP4ClientEndpoint(reactor, "127.0.0.1", 9)
    assert connect_request((endpoint,), {}).endpoint is endpoint
    assert connect_request(({"handle": endpoint, "port": 1},), {}).endpoint is endpoint
    # a falsy path means TCP (port 0 when absent is Node's `port |= 0`)
    assert connect_request(({"path": "", "port": 5},), {}).path is None


def test_connect_family_names_and_timeout_floor() -> None:
    got = connect_request(
        ({"port": 1, "host": "example.invalid", "family": "IPv6"},),
        {"autoSelectFamilyAttemptTimeout": 3},
    )
    assert (got.family, got.attempt_timeout, got.hints) == (6, 10, 0)


def test_connect_refusals_change_nothing() -> None:
    with pytest.raises(NodeError) as info:
        connect_request(({},), {})
    assert info.value.code == "ERR_MISSING_ARGS"
    with pytest.raises(NodeError) as info:
        connect_request(({"port": 1, "localAddress": "nope"},), {})
    assert info.value.code == "ERR_INVALID_IP_ADDRESS"


def _listen(*args: Any, listening: bool = False, **kwargs: Any) -> tuple[ListenRequest, list[Any]]:
    signals: list[Any] = []
    request = listen_request(
        args,
        kwargs,
        listening=listening,
        handle_endpoint=lambda handle, backlog: None,
        abort_on=signals.append,
    )
    return request, signals


def test_listen_forms() -> None:
    request, signals = _listen()
    assert (request.port, request.host, request.backlog) == (0, None, 511)
    assert signals == [None]  # the signal option is looked at once, as Node does
    request, _ = _listen(8124, "localhost", 17, cb)
    assert (request.port, request.host, request.backlog, request.callback) == (
        8124,
        "localhost",
        17,
        cb,
    )
    request, _ = _listen("/tmp/t.sock", 5)
    assert (request.path, request.backlog, request.port) == ("/tmp/t.sock", 5, None)
    request, _ = _listen({"fd": 3})
    assert (request.fd, request.port) == (3, None)
    request, _ = _listen(port=0, host="::1", ipv6_only=True, reuse_port=True)
    assert (request.host, request.ipv6_only, request.reuse_port) == ("::1", True, True)
    request, _ = _listen({"path": "/tmp/u.sock", "readableAll": True})
    assert (request.readable_all, request.writable_all) == (True, False)


def test_listen_handle_endpoint_hook() -> None:
    marker = object()
    request = listen_request(
        ({"handle": "h"},),
        {},
        listening=False,
        handle_endpoint=lambda handle, backlog: marker if handle == "h" else None,
        abort_on=lambda signal: None,
    )
    assert request.endpoint is marker


def test_listen_refusals() -> None:
    with pytest.raises(NodeError) as info:
        _listen(0, listening=True)
    assert info.value.code == "ERR_SERVER_ALREADY_LISTEN"
    with pytest.raises(NodeError) as info:
        _listen({"backlog": 3})
    assert str(info.value).endswith("Received {'backlog': 3}")
    with pytest.raises(NodeError) as info:
        _listen(65536)
    assert info.value.code == "ERR_SOCKET_BAD_PORT"


@pytest_twisted.ensureDeferred
async def test_server_states() -> None:
    server = twnet.createServer()
    assert server._state is ServerState.IDLE
    server.listen(0, "127.0.0.1")  # looked up first (an IP literal too): still idle
    assert server._state is ServerState.IDLE
    await twnet.once(server, "listening")
    assert server._state is ServerState.LISTENING and server.listening
    server.close()
    assert server._state is ServerState.IDLE and not server.listening
    await twnet.once(server, "close")
    # an endpoint's listen under way: OPENING (listen() again refused)
    server.listen(endpoints.TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1"))
    assert server._state in (ServerState.OPENING, ServerState.LISTENING)
    with pytest.raises(NodeError):
        server.listen(0)
    await twnet.once(server, "listening")
    server.close()
    await twnet.once(server, "close")
    # a failed listen goes back to IDLE
    taken = twnet.createServer()
    taken.listen(0, "127.0.0.1")
    await twnet.once(taken, "listening")
    server.listen(taken.address()["port"], "127.0.0.1")
    (error,) = await _error(server)
    assert error.code == "EADDRINUSE" and server._state is ServerState.IDLE
    taken.close()
    await twnet.once(taken, "close")


async def _error(emitter: Any) -> list[Any]:
    from twisted.internet.defer import Deferred

    got: Deferred[list[Any]] = Deferred()
    emitter.once("error", lambda *args: got.callback(list(args)))
    return await got
