"""Ending the child processes a test started (by the PID it started, never anything else)."""

from __future__ import annotations

import signal
import subprocess

__all__ = ["kill", "stop"]


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
