"""twnet._tcp_handle over a transport that wraps TCP (Twisted's TLS layer): socket options
reach the kernel socket under it, and a TLS socket is no TCP handle for resetAndDestroy."""

from __future__ import annotations

import socket as pysocket
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.endpoints import clientFromString, serverFromString

import twnet
import twnet as net
from tests.test_faults import _self_signed

R: Any = _reactor

pytestmark = pytest.mark.filterwarnings("ignore:Passing pyOpenSSL:DeprecationWarning")


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


async def tls_pair(tmp_path: Path, kind: str) -> tuple[net.Server, net.Socket, net.Socket]:
    pem, roots = _self_signed(tmp_path)
    server = net.createServer()
    accepted = twnet.once(server, "connection")
    server.listen(serverFromString(R, f"ssl:0:interface=127.0.0.1:privateKey={pem}"))
    await twnet.once(server, "listening")
    port = server.address()["port"]  # type: ignore[index]
    if kind == "tls":  # an endpoint that wraps the protocol in Twisted's TLS layer
        endpoint = clientFromString(R, f"tls:localhost:{port}:trustRoots={roots}")
    else:  # reactor.connectSSL: TLS started on the TCP transport
        endpoint = clientFromString(R, f"ssl:127.0.0.1:{port}")
    client = net.connect(endpoint)
    await twnet.once(client, "connect")
    (conn,) = await accepted
    return server, client, conn


async def finish(server: net.Server, *sockets: net.Socket) -> None:
    waits = [closed(s) for s in sockets]
    for s in sockets:
        s.destroy()
    for w in waits:
        await w
    done = closed(server)
    server.close()
    await done


def kernel_socket(sock: net.Socket) -> pysocket.socket:
    found = sock._handle.os_socket()  # type: ignore[union-attr]
    assert isinstance(found, pysocket.socket)
    return found


@pytest.mark.parametrize("kind", ["tls", "ssl"])
@pytest_twisted.ensureDeferred
async def test_options_reach_the_socket_under_tls(tmp_path: Path, kind: str) -> None:
    server, client, conn = await tls_pair(tmp_path, kind)
    for sock in (client, conn):
        sock.setKeepAlive(True, 3000)
        sock.setTypeOfService(0x10)
        handle = kernel_socket(sock)
        assert handle.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
        assert handle.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 3
        assert handle.getsockopt(pysocket.IPPROTO_IP, pysocket.IP_TOS) == 0x10
        assert sock.getTypeOfService() == 0x10
    await finish(server, client, conn)


@pytest.mark.parametrize("kind", ["tls", "ssl"])
@pytest_twisted.ensureDeferred
async def test_reset_and_destroy_refuses_a_tls_socket(tmp_path: Path, kind: str) -> None:
    # Node: a TLSSocket's handle is no TCP handle (ERR_INVALID_HANDLE_TYPE), the socket stays.
    server, client, conn = await tls_pair(tmp_path, kind)
    for sock in (client, conn):
        with pytest.raises(net.NodeError) as caught:
            sock.resetAndDestroy()
        assert caught.value.code == "ERR_INVALID_HANDLE_TYPE"
        assert not sock.destroyed
    got = twnet.once(conn, "data")
    client.write(b"still open")
    assert await got == [b"still open"]
    await finish(server, client, conn)


def watch_closing(sock: net.Socket, log: list[str]) -> None:
    """Log the socket's _destroy (with its nesting depth) and the handle's on_close."""
    real_destroy, real_on_close = sock._destroy, sock.on_close
    depth = [0]

    def destroy(error: Any, callback: Any) -> None:
        depth[0] += 1
        log.append(f"destroy depth {depth[0]}")
        try:
            real_destroy(error, callback)
        finally:
            depth[0] -= 1

    def on_close(loss: Any) -> None:
        log.append(f"on_close {'clean' if loss is None else 'lost'}")
        real_on_close(loss)

    sock._destroy = destroy  # type: ignore[method-assign]
    sock.on_close = on_close  # type: ignore[method-assign]


@pytest.mark.parametrize("how", ["destroy", "destroy_with_data", "peer_end", "reset"])
@pytest_twisted.ensureDeferred
async def test_the_handle_reports_its_close_once_and_destroy_runs_once(how: str) -> None:
    server = net.createServer({"allowHalfOpen": False})
    accepted = twnet.once(server, "connection")
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    client = net.connect(server.address()["port"], "127.0.0.1")  # type: ignore[index]
    await twnet.once(client, "connect")
    (conn,) = await accepted
    logs: dict[str, list[str]] = {"client": [], "conn": []}
    watch_closing(client, logs["client"])
    watch_closing(conn, logs["conn"])
    conn.on("error", lambda error: None)
    closes = [closed(client), closed(conn)]
    if how == "destroy":
        client.destroy()
    elif how == "destroy_with_data":
        client.cork()
        client.write(b"x" * 100_000)
        client.destroy()
    elif how == "peer_end":
        client.end()
    else:
        client.resetAndDestroy()
    await defer.gatherResults(closes)
    for log in logs.values():
        # One _destroy, never nested in itself; one on_close from the handle.
        assert log.count("destroy depth 1") == 1 and "destroy depth 2" not in log
        assert len([entry for entry in log if entry.startswith("on_close")]) == 1
    done = closed(server)
    server.close()
    await done
