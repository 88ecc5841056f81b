"""Scale and leak check of one twnet server (and, with ``--client``, of twnet's client side).

    python -m benchmarks.scale [--quick] [--conns 10000] [--step 1000] [--cycles 100000]
                               [--client] [--json PATH]

Runs a twnet echo server (``net.createServer(lambda c: c.pipe(c))``) in this process, pinned
to CPU 0, with the reactor in the main thread; a controller thread drives the C load generator
(``loadgen.c``, pinned to CPU 1) and reads the figures, from the reactor thread where they
belong to it:

1. **RSS vs connection count**: ``--conns`` connections opened ``--step`` at a time (each does
   a 1-byte round trip, then stays idle); VmRSS after each step, the least-squares line
   through the points (KiB per connection), R^2 and the largest deviation from the line.
2. **connect/close cycles**: ``--cycles`` connect + 16-byte echo + close cycles (16 in
   flight) after a warm-up; before and after: open file descriptors (``/proc/self/fd``),
   ``reactor.getDelayedCalls()``, gc-tracked objects (after ``gc.collect()``) and the
   object types that grew most, and RSS.
3. with ``--client``: the same cycles with twnet as the client (``net.connect``, write 16
   bytes, check the echo, ``end()``) against the C echo server (``cecho.c``, on CPU 1).

Prints a report, writes JSON, and exits 1 when a file descriptor or a DelayedCall is left
behind (a leak); object counts are reported, not judged. Not a test: nothing is timed.
``--quick``: 2,000 connections in steps of 500, 5,000 cycles.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from twisted.internet import reactor as _reactor
from twisted.internet.threads import blockingCallFromThread

from benchmarks.run import HERE, LOAD_CPU, SERVER_CPU, IdleLoad, compile_c, pinned, run_json
from benchmarks.servers import raise_nofile

reactor: Any = _reactor
T = TypeVar("T")


def in_reactor(fn: Callable[..., T], *args: Any) -> T:
    result: T = blockingCallFromThread(reactor, fn, *args)
    return result


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def snapshot() -> dict[str, Any]:
    """Run in the reactor thread: fds, DelayedCalls, gc objects by type, RSS."""
    gc.collect()
    objects = gc.get_objects()
    types = Counter(type(o).__qualname__ for o in objects)
    return {
        "fds": len(os.listdir("/proc/self/fd")),
        "delayed_calls": len(reactor.getDelayedCalls()),
        "gc_objects": len(objects),
        "types": types,
        "rss_kib": rss_kib(),
    }


def compare(before: dict[str, Any], after: dict[str, Any], cycles: int) -> dict[str, Any]:
    grew = (after["types"] - before["types"]).most_common(8)
    return {
        "cycles": cycles,
        "fds": [before["fds"], after["fds"]],
        "delayed_calls": [before["delayed_calls"], after["delayed_calls"]],
        "gc_objects": [before["gc_objects"], after["gc_objects"]],
        "rss_kib": [before["rss_kib"], after["rss_kib"]],
        "grown_types": grew,
        "leak": after["fds"] > before["fds"] or after["delayed_calls"] > before["delayed_calls"],
    }


def fit(points: list[tuple[int, int]]) -> dict[str, float]:
    """Least-squares line RSS = a + b * count; R^2; largest deviation from it (KiB)."""
    n = len(points)
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    return {
        "kib_per_conn": b,
        "intercept_kib": a,
        "r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
        "max_deviation_kib": max(abs(y - (a + b * x)) for x, y in zip(xs, ys, strict=True)),
    }


class Checker:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.loadgen = compile_c("loadgen")
        self.cecho = compile_c("cecho")
        self.report: dict[str, Any] = {}
        self.failure: BaseException | None = None
        self.port = 0
        self.server: Any = None
        self.started = threading.Event()

    # -- reactor side
    def start_server(self) -> None:
        from twnet import net

        server = net.createServer(lambda c: c.pipe(c))

        def listening() -> None:
            address: Any = server.address()
            self.port = address["port"]
            self.started.set()

        server.listen(0, "127.0.0.1", 511, listening)
        self.server = server

    def connections(self) -> int:
        count: int = self.server._connections
        return count

    # -- controller thread
    def main(self) -> None:
        try:
            self.started.wait(30)
            self.rss_vs_count()
            self.cycles_server()
            if self.args.client:
                self.cycles_client()
        except BaseException as e:
            self.failure = e
        finally:
            reactor.callFromThread(reactor.stop)

    def settle(self) -> None:
        """Wait until the server has no connection left, then a little more."""
        deadline = time.monotonic() + 60
        while in_reactor(self.connections) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)

    def loadgen_run(self, *argv: str, timeout: float = 600) -> dict[str, Any]:
        return run_json([str(self.loadgen), *argv], timeout)

    def rss_vs_count(self) -> None:
        args = self.args
        log(f"RSS vs count: {args.conns} connections, steps of {args.step}")
        self.loadgen_run("connect", str(self.port), "-c", "16", "-s", "16", "-n", "1000")
        self.settle()
        points = [(0, rss_kib())]
        with IdleLoad(self.loadgen, self.port, args.conns, args.step, quit_timeout=60) as load:
            while True:
                count = load.ready()
                time.sleep(0.3)
                server_count = in_reactor(self.connections)
                points.append((count, rss_kib()))
                log(f"  {count:6d} open ({server_count} at the server): {points[-1][1]} KiB")
                if count >= args.conns:
                    break
                load.more()
        self.settle()
        self.report["rss_vs_count"] = {"points": points, **fit(points)}

    def cycles_server(self) -> None:
        cycles = self.args.cycles
        log(f"server: {cycles} connect/echo/close cycles")
        self.loadgen_run("connect", str(self.port), "-c", "16", "-s", "16", "-n", "2000")
        self.settle()
        before = in_reactor(snapshot)
        result = self.loadgen_run(
            "connect", str(self.port), "-c", "16", "-s", "16", "-n", str(cycles)
        )
        self.settle()
        after = in_reactor(snapshot)
        self.report["server_cycles"] = {
            **compare(before, after, cycles),
            "conn_per_s": result["ops_per_s"],
        }

    def cycles_client(self) -> None:
        cycles = self.args.cycles
        log(f"client: {cycles} net.connect/echo/end cycles against the C echo server")
        echo = subprocess.Popen(
            [str(self.cecho)], stdout=subprocess.PIPE, text=True, preexec_fn=pinned(LOAD_CPU)
        )
        try:
            assert echo.stdout is not None
            port = int(echo.stdout.readline())
            in_reactor(self.client_cycles_deferred, port, 2000)
            before = in_reactor(snapshot)
            t0 = time.monotonic()
            in_reactor(self.client_cycles_deferred, port, cycles)
            elapsed = time.monotonic() - t0
            time.sleep(0.3)
            after = in_reactor(snapshot)
            self.report["client_cycles"] = {
                **compare(before, after, cycles),
                "conn_per_s": cycles / elapsed,
            }
        finally:
            echo.terminate()
            echo.wait(10)

    def client_cycles_deferred(self, port: int, cycles: int) -> Any:
        """Reactor side: run *cycles* client cycles, 16 in flight; a Deferred of None."""
        from twisted.internet.defer import Deferred

        from twnet import net

        done: Deferred[None] = Deferred()
        state = {"started": 0, "closed": 0}
        payload = bytes(range(16))

        def one() -> None:
            state["started"] += 1
            sock = net.connect(port, "127.0.0.1")
            got: list[bytes] = []

            def on_data(data: bytes) -> None:
                got.append(data)
                if sum(map(len, got)) >= len(payload):
                    if b"".join(got) != payload:
                        fail(RuntimeError("echoed bytes differ"))
                    sock.end()

            def on_close(had_error: bool) -> None:
                state["closed"] += 1
                if state["started"] < cycles:
                    one()
                elif state["closed"] == cycles and not done.called:
                    done.callback(None)

            sock.on("connect", lambda: sock.write(payload))
            sock.on("data", on_data)
            sock.on("error", fail)
            sock.on("close", on_close)

        def fail(err: BaseException) -> None:
            if not done.called:
                done.errback(err)

        for _ in range(min(16, cycles)):
            one()
        return done


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def render(report: dict[str, Any]) -> str:
    lines = []
    rss = report.get("rss_vs_count")
    if rss:
        lines.append(
            f"RSS vs open connections (one twnet server): {rss['kib_per_conn']:.2f} KiB/conn "
            f"(least squares), R^2 = {rss['r2']:.4f}, largest deviation from the line "
            f"{rss['max_deviation_kib']:.0f} KiB"
        )
        lines.append("  " + ", ".join(f"{n}: {kib} KiB" for n, kib in rss["points"]))
    for key, title in (("server_cycles", "server"), ("client_cycles", "client")):
        cyc = report.get(key)
        if not cyc:
            continue
        lines.append(
            f"{title}: {cyc['cycles']} connect/close cycles ({cyc['conn_per_s']:.0f}/s): "
            f"fds {cyc['fds'][0]} -> {cyc['fds'][1]}, DelayedCalls {cyc['delayed_calls'][0]} "
            f"-> {cyc['delayed_calls'][1]}, gc objects {cyc['gc_objects'][0]} -> "
            f"{cyc['gc_objects'][1]}, RSS {cyc['rss_kib'][0]} -> {cyc['rss_kib'][1]} KiB"
            + (" — LEAK" if cyc["leak"] else "")
        )
        if cyc["grown_types"]:
            lines.append("  grown types: " + ", ".join(f"{t} +{n}" for t, n in cyc["grown_types"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--conns", type=int)
    parser.add_argument("--step", type=int)
    parser.add_argument("--cycles", type=int)
    parser.add_argument("--client", action="store_true", help="also check the client side")
    parser.add_argument("--json", type=Path, default=HERE / "last-scale.json")
    args = parser.parse_args(argv)
    args.conns = args.conns or (2000 if args.quick else 10000)
    args.step = args.step or (500 if args.quick else 1000)
    args.cycles = args.cycles or (5000 if args.quick else 100_000)
    raise_nofile()
    os.sched_setaffinity(0, {SERVER_CPU})
    checker = Checker(args)
    reactor.callWhenRunning(checker.start_server)
    reactor.callWhenRunning(lambda: threading.Thread(target=checker.main, daemon=True).start())
    reactor.run()
    if checker.failure is not None:
        raise checker.failure
    for key in ("server_cycles", "client_cycles"):
        if key in checker.report:
            checker.report[key]["grown_types"] = [
                list(t) for t in checker.report[key]["grown_types"]
            ]
    print(render(checker.report))
    args.json.write_text(json.dumps(checker.report, indent=1))
    log(f"JSON written to {args.json}")
    leak = any(checker.report.get(k, {}).get("leak") for k in ("server_cycles", "client_cycles"))
    return 1 if leak else 0


if __name__ == "__main__":
    sys.exit(main())
