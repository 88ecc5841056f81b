"""Twisted endpoint strings with twnet: a server listening through ``serverFromString``
(``tcp:`` here; ``unix:``, ``ssl:`` work the same) and a client connecting through
``clientFromString``; the sockets are ordinary twnet sockets, and ``getTransport()`` reaches
the Twisted transport under one."""

from twisted.internet import reactor
from twisted.internet.endpoints import clientFromString, serverFromString

import twnet


def on_connection(sock):
    sock.end(b"hello from a twnet server on a Twisted endpoint\n")


server = twnet.createServer(on_connection)


def main():
    server.listen(serverFromString(reactor, "tcp:0:interface=127.0.0.1"), connect)


def connect():
    port = server.address()["port"]
    sock = twnet.connect(clientFromString(reactor, f"tcp:host=127.0.0.1:port={port}"))
    sock.on("connect", lambda: print("transport:", type(sock.getTransport()).__name__))
    sock.on("data", lambda data: print(data.decode().strip()))
    sock.on("end", server.close)


twnet.run(main)
