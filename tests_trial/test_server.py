"""A twnet server under trial: trial's janitor is the assertion.

Each test listens, accepts real loopback connections, closes everything and waits for the
``'close'`` events. Trial then fails the test if a port, a connection or a DelayedCall is left
on the reactor ("Reactor was unclean"), so these pass only if twnet cleans up after itself.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from twisted.internet.defer import Deferred, inlineCallbacks
from twisted.trial import unittest

import twnet
from twnet import Socket


def closed(emitter: Any) -> Deferred[None]:
    """Fires on the emitter's ``'close'``, whatever its arguments (errors included)."""
    d: Deferred[None] = Deferred()
    emitter.once("close", lambda *_: d.callback(None))
    return d


class ServerCleanupTests(unittest.TestCase):
    timeout = 10

    @inlineCallbacks
    def test_listen_accept_close_leaves_the_reactor_clean(self) -> Any:
        accepted: list[Socket] = []
        server = twnet.createServer(lambda sock: (accepted.append(sock), sock.pipe(sock)))
        server.listen(0)
        yield twnet.once(server, "listening")
        client = twnet.connect(server.address().port, "127.0.0.1")
        client_closed = closed(client)
        yield twnet.once(client, "connect")
        client.write(b"ping")
        (data,) = yield twnet.once(client, "data")
        self.assertEqual(data, b"ping")
        self.assertEqual(len(accepted), 1)
        peer_closed = closed(accepted[0])

        server_closed = closed(server)
        server.close()  # stops listening; the connection stays open
        self.assertFalse(server.listening)
        client.end()
        yield client_closed
        yield peer_closed
        yield server_closed
        self.assertIsNone(server.address())

    @inlineCallbacks
    def test_a_connection_destroyed_by_the_server_leaves_the_reactor_clean(self) -> Any:
        server = twnet.createServer(lambda sock: sock.destroy())
        server.listen(0, "::1")
        yield twnet.once(server, "listening")
        accepted = twnet.once(server, "connection")
        client = twnet.connect({"port": server.address().port, "host": "::1"})
        client.on("error", lambda err: None)
        client.resume()
        client_closed = closed(client)
        yield accepted
        server_closed = closed(server)
        server.close()
        yield client_closed
        yield server_closed

    @inlineCallbacks
    def test_a_unix_server_leaves_the_reactor_and_the_filesystem_clean(self) -> Any:
        with tempfile.TemporaryDirectory(prefix="twnet") as directory:
            path = os.path.join(directory, "trial.sock")
            server = twnet.createServer(lambda sock: sock.end(b"bye"))
            server.listen(path)
            yield twnet.once(server, "listening")
            accepted = twnet.once(server, "connection")
            client = twnet.connect(path)
            client.resume()
            client_closed = closed(client)
            yield accepted  # closing before the accept would reset the queued connection
            server_closed = closed(server)
            server.close()
            yield client_closed
            yield server_closed
            self.assertFalse(os.path.exists(path))

    @inlineCallbacks
    def test_a_failed_listen_leaves_the_reactor_clean(self) -> Any:
        taken = twnet.createServer().listen(0, "127.0.0.1")
        yield twnet.once(taken, "listening")
        server = twnet.createServer().listen(taken.address().port, "127.0.0.1")
        error = yield self.assertFailure(twnet.once(server, "listening"), OSError)
        self.assertEqual(error.code, "EADDRINUSE")
        taken_closed = closed(taken)
        taken.close()
        yield taken_closed
