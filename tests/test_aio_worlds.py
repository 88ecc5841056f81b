"""Everything awaitable works in both coroutine worlds (issue 14 item 6).

``tests/aio/both_worlds.py`` runs one coroutine — await connect/listen, async for over a
socket, ``twnet.once``, ``twnet.on``, ``async with`` socket and server, an await cancelled
by its driver — as an asyncio Task on Twisted's asyncio reactor, under ``task.react``, under
``defer.ensureDeferred`` and under ``Deferred.fromCoroutine``. Each world runs in its own
process, so the suite's reactor is not affected (a reactor is installed once per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "aio" / "both_worlds.py"
ROOT = Path(__file__).resolve().parent.parent

COMMON = [
    "listening True",
    "connected True 0",
    "iterated hello True",
    "once close",
    "refused ECONNREFUSED",
    "on 1",
    "on 2",
    "async with socket True AbortError",
]
EXPECTED = {
    "asyncio": [
        "loop is asyncio's: AsyncioSelectorReactor",
        *COMMON,
        "wait_for timed out True",
        "gather True",
        "server closed False",
    ],
    "react": [*COMMON, "cancelled True", "gather True", "server closed False"],
}
EXPECTED["ensure"] = EXPECTED["from"] = EXPECTED["react"]


@pytest.mark.parametrize("world", sorted(EXPECTED))
def test_the_same_coroutine_runs_in_each_world(world: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), world],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == EXPECTED[world], done.stderr
    assert "Traceback" not in done.stderr and "never awaited" not in done.stderr, done.stderr
