"""The harness's report: tables of medians with ratios, CPU use, the issue's targets, and (with
``--compare REV``) this tree against another commit measured in the same run.

Everything here reads a :class:`~benchmarks.model.Results`; nothing measures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.model import BASELINE, IDLE, SCENARIOS, SERVERS, TWNET_SERVERS, Results, at

LOWER_IS_BETTER = {"p50_us", "p99_us", "kib_per_conn", "server_cpu_us"}

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
COST_COLUMNS = (
    ("pp50", "server_cpu_us", "ping-pong 50 conns, µs per round trip"),
    ("bulk", "server_cpu_us", "bulk, µs per MB"),
    ("connect", "server_cpu_us", "connect+echo+close, µs per connection"),
)


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


def table(
    results: Results, rows: Sequence[str], columns: Sequence[tuple[str, str, str]], base: str
) -> str:
    """A Markdown table: one row per server, each figure with its ratio to *base*'s."""
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


def compare_table(results: Results, rev: str) -> str:
    """This tree's twnet over the same servers and client at commit *rev*, measured in the
    same run: one ratio per figure (> 1 is better for rates, < 1 for µs and KiB)."""
    pairs = [(name, at(name, rev)) for name in TWNET_SERVERS] + [
        ("client:twnet", at("client:twnet", rev))
    ]
    columns = [*SERVER_COLUMNS, *COST_COLUMNS, *CLIENT_COLUMNS]
    columns = [c for c in columns if not c[1].endswith("cpu_frac")]
    present = [
        c
        for c in columns
        if any(
            c[0] in results.runs.get(a, {}) and c[0] in results.runs.get(b, {}) for a, b in pairs
        )
    ]
    titles = [("client " + c[2]) if c[0].startswith("client") else c[2] for c in present]
    out = ["| this tree / " + rev + " | " + " | ".join(titles) + " |"]
    out.append("|---" * (len(present) + 1) + "|")
    for a, b in pairs:
        if a not in results.runs or b not in results.runs:
            continue
        cells = []
        for scenario, metric, _ in present:
            r = results.ratio(a, b, scenario, metric)
            cells.append("—" if r is None else f"{r:.2f}x")
        label = "twnet client" if a == "client:twnet" else a
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


# The targets: (label, compared with, scenario, metric, bound, kind); the bound is a
# ratio to the row named.
_BOUND_MET: dict[str, Callable[[float, float], bool]] = {
    "min": lambda value, bound: value >= bound,
    "max": lambda value, bound: value <= bound,
}
_SERVER_TARGETS: tuple[tuple[str, str, str, str, float, str], ...] = (
    ("ping-pong 1 conn >= 1.10x raw Twisted", BASELINE, "pp1", "ops_per_s", 1.10, "min"),
    ("ping-pong 50 conns >= 1.10x raw Twisted", BASELINE, "pp50", "ops_per_s", 1.10, "min"),
    ("p99 (ping-pong 50 conns) <= 1.0x raw Twisted", BASELINE, "pp50", "p99_us", 1.0, "max"),
    ("bulk >= 1.0x raw Twisted", BASELINE, "bulk", "mb_per_s", 1.0, "min"),
    ("connections/s >= 0.80x raw Twisted", BASELINE, "connect", "ops_per_s", 0.80, "min"),
)
_IDLE_LIMIT_KIB = {"twnet-data": 2.0, "twnet-pipe": 2.4}
_AHEAD_OF = "asyncio-streams"
_CLIENT_TARGETS = (
    ("ping-pong 50 conns >= 1.0x raw Twisted client", "client-pp50", "ops_per_s"),
    ("bulk >= 1.0x raw Twisted client", "client-bulk", "mb_per_s"),
)


def targets(results: Results) -> list[tuple[str, str, str]]:
    """The issue's targets: (target, measured, 'met' / 'NOT met' / 'not measured')."""
    out: list[tuple[str, str, str]] = []

    def check(label: str, value: float | None, kind: str, bound: float, unit: str) -> None:
        if value is None:
            out.append((label, "—", "not measured"))
        else:
            met = _BOUND_MET[kind](value, bound)
            out.append((label, f"{value:.2f}{unit}", "met" if met else "NOT met"))

    for srv in TWNET_SERVERS:
        for label, base, scenario, metric, bound, kind in _SERVER_TARGETS:
            check(f"{srv}: {label}", results.ratio(srv, base, scenario, metric), kind, bound, "x")
        limit = _IDLE_LIMIT_KIB[srv]
        check(
            f"{srv}: idle memory <= {limit} KiB/conn",
            results.median(srv, IDLE, "kib_per_conn"),
            "max",
            limit,
            " KiB",
        )
        figures = [(s, m) for s, m, _ in SERVER_COLUMNS if m != "p50_us"]
        for scenario, metric in figures:
            kind = "max" if metric in LOWER_IS_BETTER else "min"
            check(
                f"{srv}: ahead of {_AHEAD_OF} on {scenario} {metric}",
                results.ratio(srv, _AHEAD_OF, scenario, metric),
                kind,
                1.0,
                "x",
            )
    for label, scenario, metric in _CLIENT_TARGETS:
        value = results.ratio("client:twnet", "client:twisted", scenario, metric)
        check(f"twnet client: {label}", value, "min", 1.0, "x")
    return out


def rows_of(results: Results) -> list[str]:
    """The server rows measured, in the order of :data:`SERVERS` (another commit's twnet
    rows right after this tree's)."""
    rows: list[str] = []
    for name in SERVERS:
        rows += sorted(r for r in results.runs if r == name or r.startswith(name + "@"))
    return rows


def report(
    results: Results, config: dict[str, Any], info: dict[str, Any], compare: str | None
) -> str:
    """The whole report as Markdown (what ``--markdown`` writes and docs/performance.md
    quotes). *config* is the JSON form of the run's configuration."""
    rows = rows_of(results)
    lines = [
        f"Machine: {info['nproc']} CPUs (**{info['cpu_model'] or 'unknown CPU'}**), "
        f"Linux {info['kernel']}, load average at start {info['loadavg'][0]:.2f}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "",
        f"Mode: {'--quick' if config['quick'] else 'full'}: {config['runs']} runs x "
        f"{config['duration_s']:g} s (after {config['warmup_s']:g} s warm-up) per figure, "
        f"median shown; server on CPU {config['server_cpu']}, load on CPU "
        f"{config['load_cpu']}; ratio = figure / raw Twisted's (for µs and KiB lower is "
        "better). A run during which other processes used more than "
        f"{config['max_other']:g} of a core was retried (up to {config['retries']} times); "
        "runs still disturbed are left out of the median when an undisturbed one exists"
        f" ({results.noisy_count()} of {results.run_count()} runs were).",
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
    client_rows = [
        r for r in results.runs if r in ("client:twisted", "client:twnet") or "client:twnet@" in r
    ]
    client_rows.sort(key=lambda r: (r != "client:twisted", r))
    if client_rows:
        lines += [
            "",
            "Clients (Python client on CPU 1 against a raw Twisted echo server on CPU 0):",
            "",
            table(results, client_rows, CLIENT_COLUMNS, "client:twisted"),
        ]
    if compare:
        lines += [
            "",
            f"This tree against commit {compare}, interleaved in the same run (its twnet "
            "package served by this tree's harness):",
            "",
            compare_table(results, compare),
        ]
    lines += ["", "Targets:", ""]
    lines += [
        f"- {label}: **not measured**" if value == "—" else f"- {label}: {value} — **{state}**"
        for label, value, state in targets(results)
    ]
    if results.failures:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in results.failures]
    return "\n".join(lines)
