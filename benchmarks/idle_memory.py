"""Where the memory of an idle connection goes: tracemalloc, per source line, per connection.

    python -m benchmarks.idle_memory [twnet-pipe|twnet-data|twisted] [--conns N] [--top N]

Runs the echo server in this process (pinned to CPU 0) with ``tracemalloc`` on, has the C
load generator (CPU 1) open N idle connections (default 2,000; each does a 1-byte round trip
first) and prints the allocation sites that grew, in bytes per connection, and the total.
Python allocations only: the kernel's socket buffers and the allocator's slack, which RSS
counts, are not in it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from typing import Any

from twisted.internet import reactor as _reactor

from benchmarks.run import LOAD_CPU, SERVER_CPU, IdleLoad, compile_c, pinned
from benchmarks.servers import raise_nofile

reactor: Any = _reactor


def start(kind: str, ready: threading.Event, port: list[int]) -> None:
    if kind == "twisted":
        from twisted.internet.protocol import Factory, Protocol

        class Echo(Protocol):
            def dataReceived(self, data: bytes) -> None:
                self.transport.write(data)  # type: ignore[union-attr]

        factory = Factory.forProtocol(Echo)
        factory.noisy = False
        listening = reactor.listenTCP(0, factory, backlog=511, interface="127.0.0.1")
        port.append(listening.getHost().port)
        ready.set()
        return
    from twnet import net

    def on_connection(c: net.Socket) -> None:
        if kind == "twnet-pipe":
            c.pipe(c)
        else:
            c.on("data", c.write)

    server = net.createServer(on_connection)

    def on_listening() -> None:
        address: Any = server.address()
        port.append(address["port"])
        ready.set()

    server.listen(0, "127.0.0.1", 511, on_listening)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.idle_memory")
    parser.add_argument("kind", nargs="?", default="twnet-pipe")
    parser.add_argument("--conns", type=int, default=2000)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    raise_nofile()
    os.sched_setaffinity(0, {SERVER_CPU})
    loadgen = compile_c("loadgen")
    ready = threading.Event()
    port: list[int] = []
    out: list[str] = []

    def control() -> None:
        try:
            ready.wait(30)
            # warm the code paths first
            subprocess.run(
                [str(loadgen), "connect", str(port[0]), "-c", "16", "-s", "16", "-n", "500"],
                check=True,
                capture_output=True,
                timeout=60,
                preexec_fn=pinned(LOAD_CPU),
            )
            time.sleep(0.5)
            before = tracemalloc.take_snapshot()
            with IdleLoad(loadgen, port[0], args.conns) as load:
                opened = load.ready()
                time.sleep(0.5)
                after = tracemalloc.take_snapshot()
            out.append(f"{args.kind}: READY {opened}")
            stats = [s for s in after.compare_to(before, "lineno") if s.size_diff > 0]
            total = sum(s.size_diff for s in after.compare_to(before, "lineno"))
            out.append(f"Python allocations: {total / args.conns:.0f} bytes per idle connection")
            for s in stats[: args.top]:
                frame = s.traceback[0]
                name = frame.filename.split("site-packages/")[-1].split("/main/")[-1]
                out.append(
                    f"  {s.size_diff / args.conns:7.1f} B/conn  "
                    f"{s.count_diff / args.conns:5.2f} blocks/conn  {name}:{frame.lineno}"
                )
        finally:
            reactor.callFromThread(reactor.stop)

    tracemalloc.start()
    reactor.callWhenRunning(start, args.kind, ready, port)
    reactor.callWhenRunning(lambda: threading.Thread(target=control, daemon=True).start())
    reactor.run()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
