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
