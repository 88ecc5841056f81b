"""What the harness measures and how results are kept: servers, scenarios, runs, medians.

Shared by :mod:`benchmarks.run` (which measures) and :mod:`benchmarks.report` (which prints).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
TWNET_SERVERS = ("twnet-pipe", "twnet-data")


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


def at(name: str, rev: str | None) -> str:
    """The row name of a server or client kind measured at another commit:
    ``twnet-pipe@1a2b3c4``; *name* itself when *rev* is None."""
    return f"{name}@{rev}" if rev else name


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
    # --compare: the other commit's short id and the exported tree its twnet runs from
    compare_rev: str | None = None
    compare_root: Path | None = None


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

    def ratio(self, a: str, b: str, scenario: str, metric: str) -> float | None:
        """Row *a*'s median over row *b*'s, for one figure."""
        x, y = self.median(a, scenario, metric), self.median(b, scenario, metric)
        return x / y if x is not None and y else None

    def run_count(self) -> int:
        return sum(len(runs) for per in self.runs.values() for runs in per.values())

    def noisy_count(self) -> int:
        return sum(
            1 for per in self.runs.values() for runs in per.values() for r in runs if r.get("noisy")
        )

    def medians(self) -> dict[str, dict[str, dict[str, float]]]:
        """Per row and scenario: the median of every numeric field over the clean runs."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for server, per in self.runs.items():
            for scenario in per:
                runs = self.clean(server, scenario)
                fields = {
                    key: statistics.median(r[key] for r in runs if key in r)
                    for key, value in runs[0].items()
                    if isinstance(value, (int, float)) and not isinstance(value, bool)
                }
                fields["clean_runs"] = sum(1 for r in runs if not r.get("noisy"))
                out.setdefault(server, {})[scenario] = fields
        return out
