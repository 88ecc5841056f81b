"""twnet inside ``twisted.internet.task.react``: a coroutine starts an echo server, connects to
it, half-closes, reads the echo until 'end', and closes the server. No ``twnet.run()``: the
reactor is Twisted's, run by ``react``."""

from twisted.internet import defer, task

import twnet


async def main(reactor):
    server = twnet.createServer(lambda sock: sock.pipe(sock))
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")  # a Deferred of the event's arguments
    port = server.address()["port"]

    sock = twnet.connect(port, "127.0.0.1")
    await twnet.once(sock, "connect")
    received = []
    sock.on("data", received.append)
    ended = twnet.once(sock, "end")
    sock.end(b"ping over twnet")
    await ended
    print("echoed:", b"".join(received).decode())

    closed = twnet.once(server, "close")
    server.close()
    await closed
    print("server closed")


task.react(lambda reactor: defer.ensureDeferred(main(reactor)))
