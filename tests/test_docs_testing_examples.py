"""The worked examples of docs/testing.rst (``docs/examples/testing/``) run as a reader runs
them: the pytest ones with ``pytest -p twnet.testing``, the trial one with ``python -m
twisted.trial``, each in its own process (their reactor is not the suite's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples" / "testing"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(EXAMPLES)])}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=EXAMPLES,
    )


@pytest.mark.parametrize(
    ("example", "tests"),
    [("test_upper_pytest.py", 2), ("test_timeout_clock.py", 1)],
)
def test_pytest_example_passes(example: str, tests: int) -> None:
    done = _run(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "twnet.testing", "-c", os.devnull,
        "--rootdir", str(EXAMPLES), example,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{tests} passed" in done.stdout, done.stdout


def test_trial_example_passes() -> None:
    done = _run("-m", "twisted.trial", "test_upper_trial")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED (successes=1)" in done.stdout + done.stderr


def test_every_example_is_in_the_guide() -> None:
    guide = (ROOT / "docs" / "testing.rst").read_text(encoding="utf-8")
    for path in sorted(EXAMPLES.glob("test_*.py")):
        assert f"examples/testing/{path.name}" in guide, path.name
