"""twnet.tls in process, over loopback: options checked as Node checks them, the properties
and methods of a TLSSocket, end()'s close_notify and half-close, back-pressure, destroy()
during the handshake, listener exceptions, and the Twisted transport under a socket."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet import defer
from twisted.internet.interfaces import ISSLTransport

import twnet
from tests._sockets import fill, next_turn
from twnet import tls
from twnet._tls_verify import check_server_identity


def closed(emitter: Any) -> defer.Deferred[list[Any]]:
    d: defer.Deferred[list[Any]] = defer.Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


async def secure_pair(
    certs: dict[str, bytes], server_options: dict[str, Any] | None = None, **client: Any
) -> tuple[tls.Server, tls.TLSSocket, tls.TLSSocket]:
    server = tls.createServer(
        {"key": certs["server.key"], "cert": certs["server.pem"], **(server_options or {})}
    )
    accepted = twnet.once(server, "secureConnection")
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    sock = tls.connect(
        {
            "port": server.address()["port"],
            "host": "127.0.0.1",
            "servername": "localhost",
            "ca": certs["ca.pem"],
            **client,
        }
    )
    await twnet.once(sock, "secureConnect")
    (conn,) = await accepted
    return server, sock, conn


async def finish(server: tls.Server, *sockets: tls.TLSSocket) -> None:
    waits = [closed(s) for s in sockets if not s.closed]
    for s in sockets:
        s.destroy()
    for w in waits:
        await w
    if server.listening:
        done = closed(server)
        server.close()
        await done


# -- options --------------------------------------------------------------------------------


def test_bad_options_raise_at_once(certs: dict[str, bytes]) -> None:
    with pytest.raises(twnet.NodeError) as info:
        tls.createServer(
            {"key": certs["server.key"], "cert": certs["server.pem"], "minVersion": "TLSv1.4"}
        )
    assert info.value.code == "ERR_TLS_INVALID_PROTOCOL_VERSION"
    assert str(info.value) == "'TLSv1.4' is not a valid minimum TLS protocol version"
    with pytest.raises(TypeError) as type_info:
        tls.connect({"port": 1, "ca": 42})
    assert getattr(type_info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(twnet.NodeError) as key_info:
        tls.createServer({"key": b"not a key", "cert": certs["server.pem"]})
    assert key_info.value.code.startswith("ERR_OSSL_")
    with pytest.raises(twnet.NodeError) as mismatch:
        tls.createServer({"key": certs["client.key"], "cert": certs["server.pem"]})
    assert mismatch.value.code.startswith("ERR_SSL_") or mismatch.value.code.startswith("ERR_OSSL_")
    with pytest.raises(twnet.NodeError) as pem:
        tls.connect({"port": 1, "ca": "no certificate here"})
    assert pem.value.code == "ERR_OSSL_PEM_NO_START_LINE"


def test_check_server_identity_as_node() -> None:
    cert = {
        "subject": {"CN": "ignored"},
        "subjectaltname": "DNS:*.example.com, IP Address:127.0.0.1",
    }
    assert tls.checkServerIdentity("a.example.com", cert) is None
    assert tls.check_server_identity("127.0.0.1", cert) is None
    wrong = check_server_identity("example.com", cert)
    assert wrong is not None and wrong.code == "ERR_TLS_CERT_ALTNAME_INVALID"
    assert (
        wrong.reason == "Host: example.com. is not in the cert's altnames: "
        "DNS:*.example.com, IP Address:127.0.0.1"
    )
    assert wrong.host == "example.com" and wrong.cert == cert
    assert check_server_identity("a.b.example.com", cert) is not None  # one label only
    ip = check_server_identity("127.0.0.2", cert)
    assert ip is not None and ip.reason == "IP: 127.0.0.2 is not in the cert's list: 127.0.0.1"
    assert check_server_identity("*.com", {"subjectaltname": "DNS:*.com"}) is not None
    assert check_server_identity("host", {"subject": {"CN": "host"}}) is None  # CN: no SAN
    cn = check_server_identity("other", {"subject": {"CN": "host"}})
    assert cn is not None and cn.reason == "Host: other. is not cert's CN: host"
    none = check_server_identity("x", {"subject": {}})
    assert none is not None and none.reason == "Cert does not contain a DNS name"


# -- a connection -------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_properties_and_certificates(certs: dict[str, bytes]) -> None:
    server, sock, conn = await secure_pair(
        certs, {"ALPNProtocols": ["x"]}, ALPNProtocols=["x"], minVersion="TLSv1.3"
    )
    try:
        assert sock.encrypted and conn.encrypted
        assert sock.authorized and sock.authorizationError is None
        assert not conn.authorized and conn.authorizationError is None  # no requestCert
        assert sock.alpnProtocol == conn.alpnProtocol == "x"
        assert conn.servername == "localhost"
        assert sock.getProtocol() == conn.getProtocol() == "TLSv1.3"
        cipher = sock.getCipher()
        assert cipher is not None and cipher["version"] == "TLSv1.3"
        assert cipher["name"] == cipher["standardName"] and cipher["name"].startswith("TLS_")
        peer = sock.getPeerCertificate()
        assert peer is not None
        assert peer["subject"] == {"C": "NL", "O": "twnet tests", "CN": "localhost"}
        assert peer["issuer"]["CN"] == "twnet test CA"
        assert peer["subjectaltname"] == "DNS:localhost, IP Address:127.0.0.1"
        assert peer["serialNumber"] == "1001" and peer["ca"] is False
        assert len(peer["fingerprint256"].split(":")) == 32
        assert peer["valid_from"].endswith(" GMT") and isinstance(peer["raw"], bytes)
        assert peer["ext_key_usage"] == ["1.3.6.1.5.5.7.3.1"]
        assert conn.getPeerCertificate() == {}  # the client sent none
        local = conn.getCertificate()
        assert local is not None and local["fingerprint256"] == peer["fingerprint256"]
        assert not sock.isSessionReused()
        # twnet's public way to Twisted's transport and pyOpenSSL's view of the peer:
        transport = sock.getTransport()
        assert ISSLTransport.providedBy(transport)
        x509 = transport.getPeerCertificate().to_cryptography()
        assert x509.subject.rfc4514_string() == "CN=localhost,O=twnet tests,C=NL"
        assert sock.get_peer_certificate() == peer  # the snake_case twin
    finally:
        await finish(server, sock, conn)


@pytest_twisted.ensureDeferred
async def test_end_sends_close_notify_then_half_closes(certs: dict[str, bytes]) -> None:
    server, sock, conn = await secure_pair(certs, {"allowHalfOpen": True}, allowHalfOpen=True)
    closes = defer.gatherResults([closed(sock), closed(conn)])
    got: list[bytes] = []
    conn.on("data", got.append)
    ended = twnet.once(conn, "end")
    sock.end(b"last words")
    await ended
    assert b"".join(got) == b"last words"
    # Half-closed: the server still writes, the client still reads.
    back: list[bytes] = []
    sock.on("data", back.append)
    client_end = twnet.once(sock, "end")
    conn.end(b"reply after your end")
    await client_end
    assert b"".join(back) == b"reply after your end"
    assert await closes == [[False], [False]]
    done = closed(server)
    server.close()
    await done


@pytest_twisted.ensureDeferred
async def test_write_back_pressure_and_drain(certs: dict[str, bytes]) -> None:
    server, sock, conn = await secure_pair(certs)
    try:
        conn.pause()
        written = await fill(sock, limit=32 << 20)
        assert sock.writableLength > 0  # write() said False: the peer is not reading
        received = 0

        def count(data: bytes) -> None:
            nonlocal received
            received += len(data)

        conn.on("data", count)
        drained = twnet.once(sock, "drain")
        conn.resume()
        await drained
        assert written > 0 and sock.writableLength == 0
    finally:
        await finish(server, sock, conn)


@pytest_twisted.ensureDeferred
async def test_destroy_during_handshake(certs: dict[str, bytes]) -> None:
    server = tls.createServer({"key": certs["server.key"], "cert": certs["server.pem"]})
    client_errors: list[Any] = []
    accepted_closed: list[defer.Deferred[list[Any]]] = []

    def on_client_error(err: Any, s: tls.TLSSocket) -> None:
        client_errors.append((err.code, err.message))
        accepted_closed.append(closed(s))

    server.on("tlsClientError", on_client_error)
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    sock = tls.connect(
        {"port": server.address()["port"], "host": "127.0.0.1", "ca": certs["ca.pem"]}
    )
    events: list[str] = []
    sock.on("secureConnect", lambda: events.append("secureConnect"))
    await twnet.once(sock, "connect")
    done = closed(sock)
    sock.destroy()
    assert await done == [False]
    assert events == []
    while not client_errors:
        await twnet.once(server, "tlsClientError")
    assert client_errors == [("ECONNRESET", "socket hang up")]
    await accepted_closed[0]
    done = closed(server)
    server.close()
    await done


@pytest_twisted.ensureDeferred
async def test_verification_failure_is_an_error_event_not_the_end_of_run(
    certs: dict[str, bytes],
) -> None:
    """The socket gets Node's error; nothing is logged as an unhandled failure."""
    server = tls.createServer({"key": certs["selfsigned.key"], "cert": certs["selfsigned.pem"]})
    refused: list[Any] = []
    server.on("tlsClientError", lambda err, s: refused.append(closed(s)))
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    sock = tls.connect(
        {"port": server.address()["port"], "host": "localhost", "ca": certs["ca.pem"]}
    )
    errors: list[Any] = []
    sock.on("error", errors.append)
    assert await closed(sock) == [True]
    assert [e.code for e in errors] == ["DEPTH_ZERO_SELF_SIGNED_CERT"]
    assert sock.authorized is False and sock.authorizationError == "DEPTH_ZERO_SELF_SIGNED_CERT"
    while not refused:
        await twnet.once(server, "tlsClientError")
    await refused[0]
    done = closed(server)
    server.close()
    await done


@pytest_twisted.ensureDeferred
async def test_exception_in_secure_connect_listener_is_reported(certs: dict[str, bytes]) -> None:
    from twnet.testing import capture_failures

    server = tls.createServer({"key": certs["server.key"], "cert": certs["server.pem"]})
    conns: list[Any] = []
    server.on("secureConnection", conns.append)
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    with capture_failures() as failures:
        sock = tls.connect(
            {"port": server.address()["port"], "host": "127.0.0.1", "ca": certs["ca.pem"]},
            lambda: 1 / 0,
        )
        await twnet.once(sock, "secureConnect")
    assert [f.type for f in failures] == [ZeroDivisionError]
    while not conns:
        await twnet.once(server, "secureConnection")
    await finish(server, sock, *conns)


@pytest_twisted.ensureDeferred
async def test_paused_socket_still_completes_its_handshake(certs: dict[str, bytes]) -> None:
    """As Node: pauseOnConnect (and a client paused before its handshake) hold back the
    data, not the TLS handshake; resume() delivers what arrived meanwhile."""
    server = tls.createServer(
        {"key": certs["server.key"], "cert": certs["server.pem"], "pauseOnConnect": True}
    )
    accepted = twnet.once(server, "secureConnection")
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    sock = tls.connect(
        {"port": server.address()["port"], "host": "127.0.0.1", "ca": certs["ca.pem"]}
    )
    sock.pause()
    await twnet.once(sock, "secureConnect")
    (conn,) = await accepted
    assert conn.isPaused()
    got: list[bytes] = []
    conn.on("data", got.append)
    sock.write(b"held back")
    conn.write(b"to a paused client")
    for _ in range(5):
        await next_turn()
    assert got == [] and sock.bytesRead == 0
    ended = twnet.once(conn, "end")
    conn.resume()
    sock.end()
    await ended
    assert b"".join(got) == b"held back"
    back = twnet.once(sock, "data")
    sock.resume()
    assert await back == [b"to a paused client"]
    await finish(server, sock, conn)


@pytest_twisted.ensureDeferred
async def test_twisted_tls_endpoint_refusing_the_peer_gives_a_node_error(
    certs: dict[str, bytes],
) -> None:
    """net.connect through Twisted's ``tls:`` endpoint, whose own verification refuses a
    self-signed server: an 'error' with OpenSSL's reason as a Node code (not ECONNRESET),
    nothing logged as unhandled (the autouse fixture checks)."""
    from twisted.internet import reactor
    from twisted.internet.endpoints import clientFromString

    server = tls.createServer({"key": certs["selfsigned.key"], "cert": certs["selfsigned.pem"]})
    refused: list[Any] = []
    server.on("tlsClientError", lambda err, s: refused.append(closed(s)))
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    endpoint = clientFromString(reactor, f"tls:localhost:{server.address()['port']}")
    sock = twnet.connect(endpoint)
    errors: list[Any] = []
    sock.on("error", errors.append)
    assert await closed(sock) == [True]
    assert [e.code for e in errors] == ["ERR_SSL_CERTIFICATE_VERIFY_FAILED"]
    while not refused:
        await twnet.once(server, "tlsClientError")
    await refused[0]
    done = closed(server)
    server.close()
    await done
