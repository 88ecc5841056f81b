"""Child processes of the tests: the twnet they run, and ending them (by the PID a test
started, never anything else)."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import twnet

__all__ = ["kill", "stop", "twnet_path"]


def twnet_path() -> str:
    """The directory the twnet under test was imported from, for a child's ``PYTHONPATH``:
    the child then runs the same twnet as the suite — the checkout in development, the
    installed wheel under tox (never the checkout there)."""
    return str(Path(twnet.__file__).resolve().parent.parent)


def stop(proc: subprocess.Popen[str], sig: signal.Signals, timeout: float) -> tuple[int, str, str]:
    """Send *sig* to *proc* if it still runs, wait for it (killing it after *timeout*);
    return its exit status, standard output and standard error."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        kill(proc)
    return proc.returncode, out, err


def kill(proc: subprocess.Popen[str]) -> None:
    """Kill *proc* if it still runs, and reap it."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
