"""Python clients for the "twnet as the client" scenarios, one process each.

    python -m benchmarks.clients KIND MODE PORT [--conns N] [--size S] [--duration D]
                                                [--warmup W]

KIND is ``twnet`` (``net.connect`` and a ``'data'`` listener, as a Node user writes a client)
or ``twisted`` (a raw Twisted ``Protocol``, the baseline); MODE is ``pingpong`` (every
connection sends SIZE bytes, waits for the whole echo, checks it, repeats) or ``bulk``
(every connection streams SIZE-byte writes, at most 1 MiB in flight, and checks the echo).
Both kinds share the same bookkeeping (:class:`Conn`), so only the networking differs.

Prints one JSON object like the C load generator's, with the client's own CPU use over the
measured window (``cpu_frac`` near 1.0: the client, not the server, is the bottleneck).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from twisted.internet import reactor as _reactor
from twisted.internet.protocol import ClientFactory, Protocol
from twisted.python.failure import Failure

from benchmarks.servers import raise_nofile

reactor: Any = _reactor
PERIOD = 251
PATTERN = bytes(i % PERIOD for i in range(65536 * 2 + 2 * PERIOD))
WINDOW = 1 << 20
MESSAGES = [bytes((k * 31 + i * 7) & 255 for i in range(4096)) for k in range(256)]


class Run:
    """The measured window and what was counted in it."""

    def __init__(self, mode: str, conns: int, size: int, duration: float, warmup: float) -> None:
        self.mode, self.conns, self.size = mode, conns, size
        now = time.perf_counter()
        self.t_start = now + warmup
        self.t_end = self.t_start + duration
        self.measuring = False
        self.stopping = False
        self.ops = 0
        self.bytes = 0
        self.latencies: list[int] = []
        self.open = 0
        self.error: str | None = None
        self.ru_start: Any = None
        self.ru_end: Any = None
        self.wall = (0.0, 0.0)

    def tick(self) -> None:
        now = time.perf_counter()
        if not self.measuring and not self.stopping and now >= self.t_start:
            self.measuring = True
            self.ru_start = resource.getrusage(resource.RUSAGE_SELF)
            self.wall = (now, now)
        if self.measuring and now >= self.t_end:
            self.measuring = False
            self.stopping = True
            self.ru_end = resource.getrusage(resource.RUSAGE_SELF)
            self.wall = (self.wall[0], now)

    def fail(self, why: str) -> None:
        if self.error is None:
            self.error = why
        if reactor.running:
            reactor.stop()

    def closed(self) -> None:
        self.open -= 1
        if self.open == 0 and reactor.running:
            reactor.stop()

    def result(self) -> dict[str, Any]:
        window = self.wall[1] - self.wall[0]
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[int(p * (len(lat) - 1) + 0.5)] / 1000 if lat else 0.0

        cpu_u = cpu_s = 0.0
        if self.ru_start is not None and self.ru_end is not None:
            cpu_u = self.ru_end.ru_utime - self.ru_start.ru_utime
            cpu_s = self.ru_end.ru_stime - self.ru_start.ru_stime
        return {
            "mode": self.mode,
            "conns": self.conns,
            "size": self.size,
            "window_s": window,
            "ops": self.ops,
            "ops_per_s": self.ops / window if window else 0.0,
            "bytes": self.bytes,
            "mb_per_s": self.bytes / window / 1e6 if window else 0.0,
            "p50_us": pct(0.5),
            "p99_us": pct(0.99),
            "cpu_user_s": cpu_u,
            "cpu_sys_s": cpu_s,
            "cpu_frac": (cpu_u + cpu_s) / window if window else 0.0,
            "error": self.error,
        }


class Conn:
    """One connection's side of the protocol, whatever carries the bytes: ``send(data)``
    writes, ``close()`` ends the connection, :meth:`received` is fed what arrives."""

    def __init__(
        self, run: Run, ident: int, send: Callable[[bytes], object], close: Callable[[], object]
    ) -> None:
        self.run, self.id, self.send, self.close = run, ident, send, close
        self.seq = ident
        self.got = 0
        self.t0 = 0
        self.sent = self.recvd = 0
        self.done = False

    def start(self) -> None:
        if self.run.mode == "pingpong":
            self.next_message()
        else:
            self.pump()

    # -- ping-pong
    def next_message(self) -> None:
        self.seq = (self.seq + 1) & 255
        self.got = 0
        self.t0 = time.perf_counter_ns()
        self.send(MESSAGES[self.seq][: self.run.size])

    def received(self, data: bytes) -> None:
        if self.run.mode == "bulk":
            self.bulk_received(data)
            return
        run = self.run
        size = run.size
        end = self.got + len(data)
        if end > size or data != MESSAGES[self.seq][self.got : end]:
            run.fail(f"connection {self.id}: echoed bytes differ")
            return
        self.got = end
        if end < size:
            return
        run.tick()
        if run.measuring:
            run.ops += 1
            run.latencies.append(time.perf_counter_ns() - self.t0)
        if run.stopping:
            self.finish()
        else:
            self.next_message()

    # -- bulk
    def pump(self) -> None:
        run = self.run
        size = run.size
        while not run.stopping and self.sent - self.recvd < WINDOW:
            off = self.sent % PERIOD
            self.send(PATTERN[off : off + size])
            self.sent += size

    def bulk_received(self, data: bytes) -> None:
        run = self.run
        n = len(data)
        pos = 0
        while pos < n:
            take = min(65536, n - pos)
            off = (self.recvd + pos) % PERIOD
            if data[pos : pos + take] != PATTERN[off : off + take]:
                run.fail(f"connection {self.id}: echoed bytes differ")
                return
            pos += take
        self.recvd += n
        if self.recvd > self.sent:
            run.fail(f"connection {self.id}: more bytes than were sent")
            return
        run.tick()
        if run.measuring:
            run.bytes += n
        if run.stopping:
            if self.recvd == self.sent:
                self.finish()
        else:
            self.pump()

    def finish(self) -> None:
        if not self.done:
            self.done = True
            self.close()


def start_twnet(run: Run, port: int) -> None:
    from twnet import net

    for i in range(run.conns):
        sock = net.connect(port, "127.0.0.1")
        conn = Conn(run, i, sock.write, sock.end)
        sock.on("connect", conn.start)
        sock.on("data", conn.received)
        sock.on("error", lambda err, i=i: run.fail(f"connection {i}: {err!r}"))
        sock.on("close", lambda *_: run.closed())
        run.open += 1


def start_twisted(run: Run, port: int) -> None:
    class Client(Protocol):
        def __init__(self, ident: int) -> None:
            self.ident = ident
            self.conn: Conn | None = None

        def connectionMade(self) -> None:
            t: Any = self.transport
            self.conn = Conn(run, self.ident, t.write, t.loseConnection)
            self.conn.start()

        def dataReceived(self, data: bytes) -> None:
            assert self.conn is not None
            self.conn.received(data)

        def connectionLost(self, reason: Failure | None = None) -> None:
            if self.conn is None or not self.conn.done:
                run.fail(f"connection {self.ident}: lost early: {reason}")
            run.closed()

    class Factory(ClientFactory):
        noisy = False

        def __init__(self, ident: int) -> None:
            self.ident = ident

        def buildProtocol(self, addr: Any) -> Client:
            return Client(self.ident)

        def clientConnectionFailed(self, connector: Any, reason: Failure) -> None:
            run.fail(f"connection {self.ident}: {reason.getErrorMessage()}")

    for i in range(run.conns):
        reactor.connectTCP("127.0.0.1", port, Factory(i))
        run.open += 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clients")
    parser.add_argument("kind", choices=("twnet", "twisted"))
    parser.add_argument("mode", choices=("pingpong", "bulk"))
    parser.add_argument("port", type=int)
    parser.add_argument("--conns", type=int, default=50)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args(argv)
    raise_nofile()
    run = Run(args.mode, args.conns, args.size, args.duration, args.warmup)
    (start_twnet if args.kind == "twnet" else start_twisted)(run, args.port)
    # In case the traffic stops: close the window on time, and never run past a hard bound.
    reactor.callLater(args.warmup + args.duration + 0.01, run.tick)
    reactor.callLater(args.warmup + args.duration + 30, run.fail, "timed out")
    reactor.run()
    result = run.result()
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["error"] is None else 2)


if __name__ == "__main__":
    main()
