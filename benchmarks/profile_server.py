"""Profile an echo server under load: where a twnet server spends its time.

    python -m benchmarks.profile_server [KIND] [--scenario pp50|pp1|bulk|connect]
                                        [--duration S] [--top N] [--out FILE]

Starts ``python -m cProfile -o FILE -m benchmarks.servers KIND`` (default ``twnet-pipe``)
pinned to CPU 0, drives it with the C load generator on CPU 1 for ``--duration`` seconds,
ends it with SIGTERM (the reactor stops, cProfile writes its file) and prints the functions
with the most own time and the most cumulative time, and the number of Python function calls
per operation (round trip, connection or 64 KiB echoed): run it for ``twisted`` too, and the
difference is what twnet adds. cProfile slows everything down, evenly enough to rank costs;
its absolute times are not the benchmark's.
"""

from __future__ import annotations

import argparse
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import PYTHON, ROOT, SCENARIOS, Server, compile_c, run_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_server")
    parser.add_argument("kind", nargs="?", default="twnet-pipe")
    parser.add_argument("--scenario", default="pp50", choices=[s.name for s in SCENARIOS])
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = (
        args.out or Path(tempfile.gettempdir()) / f"twnet-profile-{args.kind}-{args.scenario}.prof"
    )
    scenario = next(s for s in SCENARIOS if s.name == args.scenario)
    loadgen = compile_c("loadgen")
    server = Server(
        args.kind, [PYTHON, "-m", "cProfile", "-o", str(out), "-m", "benchmarks.servers", args.kind]
    )
    try:
        argv_ = [str(loadgen), scenario.loadgen[0], str(server.port), *scenario.loadgen[1:]]
        result = run_json([*argv_, "-d", str(args.duration), "-w", "0.5"], args.duration + 60)
    finally:
        server.stop()
    deadline = time.monotonic() + 30
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if scenario.name == "bulk":
        ops = result["bytes"] / 65536
        unit = "64 KiB echoed"
    else:
        ops = result["total_ops"]
        unit = "connection" if scenario.name == "connect" else "round trip"
    stats = pstats.Stats(str(out), stream=(buf := io.StringIO()))
    total_calls = stats.total_calls  # type: ignore[attr-defined]
    print(
        f"{args.kind} under {scenario.title} (profiled): "
        f"{result.get('ops_per_s') or result.get('mb_per_s'):.0f} "
        f"{'MB/s' if scenario.name == 'bulk' else '/s'} in the measured window; "
        f"{total_calls / max(ops, 1):.1f} Python calls per {unit} (whole run, incl. start-up)"
    )
    stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    text = buf.getvalue()
    text = text.replace(str(ROOT) + "/", "")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
