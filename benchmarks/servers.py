"""The Python echo servers the harness starts, one process each.

    python -m benchmarks.servers KIND [PORT]

listens on ``127.0.0.1:PORT`` (0, the default: any free port), prints the port on stdout and
echoes until killed. KIND is one of :data:`KINDS`:

- ``twnet-pipe``: ``net.createServer(lambda c: c.pipe(c))``, as a Node user writes it;
- ``twnet-data``: a ``'data'`` listener that writes every chunk back;
- ``twisted``: a raw Twisted ``Protocol`` whose ``dataReceived`` writes back (the baseline);
- ``asyncio-streams`` / ``asyncio-proto``: ``asyncio.start_server`` with a read/write/drain
  loop, and an ``asyncio.Protocol`` whose ``data_received`` writes back;
- ``uvloop-streams`` / ``uvloop-proto``: the same two on uvloop's event loop.

Every server listens with a backlog of 511 (Node's default) and raises its RLIMIT_NOFILE
soft limit to the hard limit, so thousands of connections can be held open.
"""

from __future__ import annotations

import asyncio
import resource
import sys
from typing import Any

KINDS = (
    "twnet-pipe",
    "twnet-data",
    "twisted",
    "asyncio-streams",
    "asyncio-proto",
    "uvloop-streams",
    "uvloop-proto",
)
BACKLOG = 511


def raise_nofile() -> None:
    """Raise the soft RLIMIT_NOFILE to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def announce(port: int) -> None:
    print(port, flush=True)


def serve_twnet(kind: str, port: int) -> None:
    import twnet
    from twnet import net

    def on_connection(c: net.Socket) -> None:
        if kind == "twnet-pipe":
            c.pipe(c)
        else:
            c.on("data", c.write)

    def main() -> None:
        server = net.createServer(on_connection)

        def listening() -> None:
            address: Any = server.address()
            announce(address["port"])

        server.listen(port, "127.0.0.1", BACKLOG, listening)

    twnet.run(main)


def serve_twisted(port: int) -> None:
    from twisted.internet import reactor as global_reactor
    from twisted.internet.protocol import Factory, Protocol

    reactor: Any = global_reactor

    class Echo(Protocol):
        def dataReceived(self, data: bytes) -> None:
            self.transport.write(data)  # type: ignore[union-attr]

    factory = Factory.forProtocol(Echo)
    factory.noisy = False
    listening = reactor.listenTCP(port, factory, backlog=BACKLOG, interface="127.0.0.1")
    announce(listening.getHost().port)
    reactor.run()


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: Any = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)


async def handle_stream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def serve_asyncio(kind: str, port: int) -> None:
    if kind.endswith("streams"):
        server = await asyncio.start_server(handle_stream, "127.0.0.1", port, backlog=BACKLOG)
    else:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(EchoProtocol, "127.0.0.1", port, backlog=BACKLOG)
    announce(server.sockets[0].getsockname()[1])
    await server.serve_forever()


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in KINDS:
        sys.exit(f"usage: python -m benchmarks.servers {{{','.join(KINDS)}}} [PORT]")
    kind = argv[0]
    port = int(argv[1]) if len(argv) > 1 else 0
    raise_nofile()
    if kind.startswith("twnet"):
        serve_twnet(kind, port)
    elif kind == "twisted":
        serve_twisted(port)
    elif kind.startswith("uvloop"):
        import uvloop

        uvloop.run(serve_asyncio(kind, port))
    else:
        asyncio.run(serve_asyncio(kind, port))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except KeyboardInterrupt:
        pass
