"""The same server tested with trial (run: python -m twisted.trial test_upper_trial).

trial's TestCase checks the reactor itself: a test fails if it leaves a port, a connection or
a pending call behind, or if an exception was logged (as twnet logs one that escapes a
listener).
"""

from __future__ import annotations

from typing import Any

from twisted.internet import defer
from twisted.trial import unittest

import twnet as net


def upper(conn: net.Socket) -> None:
    conn.setEncoding("utf8")
    conn.on("data", lambda text: conn.write(text.upper()))
    conn.on("end", lambda: conn.end())


class UpperTests(unittest.TestCase):
    def test_upper_answers_in_capitals(self) -> defer.Deferred[None]:
        return defer.Deferred.fromCoroutine(self._talk())

    async def _talk(self) -> None:
        accepted: list[Any] = []

        def on_connection(conn: net.Socket) -> None:
            accepted.append(net.once(conn, "close"))
            upper(conn)

        server = await net.createServer(on_connection).listen(0, "127.0.0.1")
        sock = await net.connect(server.address()["port"], "127.0.0.1")
        sock_closed = net.once(sock, "close")
        sock.write("ping")
        first = await net.once(sock, "data")
        self.assertEqual(first, [b"PING"])
        sock.end()
        rest = b"".join([chunk async for chunk in sock])
        self.assertEqual(rest, b"")
        async with server:
            pass
        await sock_closed
        for closed in accepted:
            await closed
