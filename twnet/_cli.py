"""The ``python -m twnet`` command line.

``python -m twnet echo [--port N] [--host H] [--path P] [--tls CERT KEY]``
    The echo server of the Node ``net`` documentation: greets each client with
    ``hello\\r\\n`` and sends back whatever it receives. Prints where it listens; Ctrl-C
    (SIGINT) or SIGTERM stops it with exit status 0. ``--tls CERT KEY`` (PEM files) serves
    TLS with :mod:`twnet.tls`.

``python -m twnet connect HOST PORT`` / ``python -m twnet connect --path P``
    A netcat-like client: standard input goes to the socket and the socket to standard output
    (through Twisted's ``StandardIO``); end of input half-closes the connection, and the
    program ends when the server has closed its side. ``--tls`` connects with
    :mod:`twnet.tls` (``--ca FILE`` trusts that CA, ``--servername NAME`` for SNI and the
    name check, ``--insecure`` is ``rejectUnauthorized: false``).

Failures (port in use, connection refused, bad port...) are one line on standard error and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from twisted.internet import stdio
from twisted.internet.interfaces import IHalfCloseableProtocol
from twisted.internet.protocol import Protocol, connectionDone
from twisted.python.failure import Failure
from zope.interface import implementer

from twnet import _runtime
from twnet._errors import NodeError
from twnet._server import Server
from twnet._socket import Socket
from twnet.net import connect as net_connect
from twnet.net import createServer, run

__all__ = ["build_parser", "main"]

PROG = "python -m twnet"
DEFAULT_PORT = 8124


class CommandError(Exception):
    """A failure to report as one line and exit status 1."""


def _port(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: not a number") from None
    if not 0 <= value < 65536:
        raise argparse.ArgumentTypeError(f"invalid port {value}: not in 0..65535")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m twnet``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="twnet, Node.js's net module on Twisted: a TCP / UNIX-socket echo server "
        "and a netcat-like client.",
        epilog=f"Run '{PROG} COMMAND --help' for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    echo = commands.add_parser(
        "echo",
        help="run the echo server of the Node net documentation",
        description="Run the echo server of the Node net documentation: each client is greeted "
        "with 'hello\\r\\n' and gets back what it sends. Ctrl-C stops the server.",
        epilog=f"Examples: '{PROG} echo', then 'telnet localhost {DEFAULT_PORT}'; "
        f"'{PROG} echo --path /tmp/echo.sock', then 'nc -U /tmp/echo.sock'.",
    )
    echo.add_argument(
        "--port",
        type=_port,
        default=None,
        metavar="N",
        help=f"TCP port to listen on (default {DEFAULT_PORT}; 0 picks a free port)",
    )
    echo.add_argument(
        "--host",
        default=None,
        metavar="H",
        help="address or host name to listen on (default: every address, IPv6 and IPv4)",
    )
    echo.add_argument(
        "--path", default=None, metavar="P", help="listen on the UNIX socket P instead of TCP"
    )
    echo.add_argument(
        "--tls",
        nargs=2,
        default=None,
        metavar=("CERT", "KEY"),
        help="serve TLS with the certificate (chain) CERT and private key KEY (PEM files)",
    )

    conn = commands.add_parser(
        "connect",
        help="connect to a server: stdin to the socket, the socket to stdout",
        description="Connect to HOST:PORT (or the UNIX socket --path P), copy standard input to "
        "the connection and the connection to standard output. End of input (Ctrl-D) "
        "half-closes the connection; the program ends once the server closed its side.",
        epilog=f"Example: printf 'hi' | {PROG} connect localhost {DEFAULT_PORT}",
    )
    conn.add_argument("host", nargs="?", metavar="HOST", help="host name or address")
    conn.add_argument("port", nargs="?", type=_port, metavar="PORT", help="TCP port")
    conn.add_argument(
        "--path", default=None, metavar="P", help="connect to the UNIX socket P instead"
    )
    conn.add_argument("--tls", action="store_true", help="connect with TLS (twnet.tls)")
    conn.add_argument(
        "--ca", default=None, metavar="FILE", help="with --tls: trust the CA certificates in FILE"
    )
    conn.add_argument(
        "--servername", default=None, metavar="NAME", help="with --tls: the server's name (SNI)"
    )
    conn.add_argument(
        "--insecure",
        action="store_true",
        help="with --tls: go on when the server's certificate is not trusted",
    )
    return parser


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as err:
        raise CommandError(f"cannot read {path}: {err.strerror}") from None


def _say(text: str) -> None:
    print(text, flush=True)


def _fail(error: BaseException) -> CommandError:
    return CommandError(str(error) or type(error).__name__)


# -- echo -------------------------------------------------------------------------------------


def _echo(args: argparse.Namespace) -> None:
    if args.path is not None and (args.port is not None or args.host is not None):
        raise CommandError("--path cannot be combined with --port or --host")
    failure: list[BaseException] = []

    def on_connection(c: Socket) -> None:
        # 'connection' listener
        _say("client connected")
        c.on("end", lambda: _say("client disconnected"))
        c.on("error", lambda err: _say(f"client error: {err}"))
        c.write("hello\r\n")
        c.pipe(c)

    if args.tls is not None:
        from twnet import tls

        cert, key = (_read(path) for path in args.tls)
        try:
            server: Server = tls.createServer({"cert": cert, "key": key}, on_connection)
        except NodeError as err:
            raise _fail(err) from None
        server.on("tlsClientError", lambda err, _: _say(f"client TLS error: {err}"))
    else:
        server = createServer(on_connection)

    def on_error(err: BaseException) -> None:
        failure.append(err)
        server.close()

    def on_listening() -> None:
        address = server.address()
        if isinstance(address, str):
            where = address
        elif address is not None:
            host = address["address"]
            shown = f"[{host}]" if ":" in host else host
            where = f"{shown}:{address['port']}"
        else:  # pragma: no cover - a listening server has an address
            where = "?"
        _say(f"server bound: listening on {where}")

    server.on("error", on_error)

    def start() -> None:
        try:
            if args.path is not None:
                server.listen(args.path, on_listening)
            else:
                port = DEFAULT_PORT if args.port is None else args.port
                if args.host is None:
                    server.listen(port, on_listening)
                else:
                    server.listen(port, args.host, on_listening)
        except NodeError as err:
            failure.append(err)

    _run(start, failure)


# -- connect ----------------------------------------------------------------------------------


@implementer(IHalfCloseableProtocol)
class _StdioBridge(Protocol):
    """Standard input to the socket, the socket to standard output (a ``StandardIO``
    protocol). While it is open it keeps :func:`twnet.run` alive, so the last bytes reach
    standard output before the program ends."""

    def __init__(self, socket: Socket) -> None:
        self.socket = socket

    def connectionMade(self) -> None:
        _runtime.hold(self)

    def dataReceived(self, data: bytes) -> None:
        _runtime.dispatch(self._to_socket, data)

    def _to_socket(self, data: bytes) -> None:
        if self.socket.destroyed:
            return
        if not self.socket.write(data):
            self.transport.pauseProducing()  # type: ignore[union-attr]
            self.socket.once("drain", self._resume)

    def _resume(self) -> None:
        if self.transport is not None:
            self.transport.resumeProducing()  # type: ignore[attr-defined]

    def readConnectionLost(self) -> None:
        # End of standard input: half-close, keep reading the server's answer.
        _runtime.dispatch(self._end_socket)

    def _end_socket(self) -> None:
        if not self.socket.destroyed:
            self.socket.end()

    def writeConnectionLost(self) -> None:
        pass

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        _runtime.release(self)
        _runtime.dispatch(self._end_socket)


def _connect(args: argparse.Namespace) -> None:
    if args.path is not None:
        if args.host is not None or args.port is not None:
            raise CommandError("give either HOST PORT or --path P, not both")
    elif args.host is None or args.port is None:
        raise CommandError("connect needs HOST and PORT (or --path P)")
    if not args.tls and (args.ca or args.servername or args.insecure):
        raise CommandError("--ca, --servername and --insecure go with --tls")
    tls_options: dict[str, object] = {}
    if args.tls:
        if args.ca is not None:
            tls_options["ca"] = _read(args.ca)
        if args.servername is not None:
            tls_options["servername"] = args.servername
        if args.insecure:
            tls_options["rejectUnauthorized"] = False
    failure: list[BaseException] = []

    def start() -> None:
        try:
            where: dict[str, object] = (
                {"path": args.path}
                if args.path is not None
                else {"port": args.port, "host": args.host}
            )
            if args.tls:
                from twnet import tls

                sock: Socket = tls.connect({**where, **tls_options})
            else:
                sock = net_connect(where)
        except NodeError as err:
            failure.append(err)
            return
        bridge = _StdioBridge(sock)
        io: list[stdio.StandardIO] = []

        def on_connect() -> None:
            io.append(stdio.StandardIO(bridge))

        def on_data(data: bytes) -> None:
            if io:
                io[0].write(data)

        def on_close(had_error: bool) -> None:
            if io:
                io[0].loseConnection()

        sock.on("secureConnect" if args.tls else "connect", on_connect)
        sock.on("data", on_data)
        sock.on("error", failure.append)
        sock.on("close", on_close)

    _run(start, failure)


# -- running ----------------------------------------------------------------------------------


def _run(start: Callable[[], None], failure: list[BaseException]) -> None:
    try:
        run(start)
    except KeyboardInterrupt:
        return
    except Exception as err:
        raise _fail(err) from err
    if failure:
        raise _fail(failure[0])


_COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "echo": _echo,
    "connect": _connect,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m twnet`` with *argv* (default ``sys.argv[1:]``); the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _COMMANDS[args.command](args)
    except CommandError as err:
        print(f"{PROG} {args.command}: error: {err}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
