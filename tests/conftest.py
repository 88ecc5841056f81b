"""Suite-wide fixtures: every test must leave the reactor clean (``twnet.testing``)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The tests import their helpers as the package ``tests`` (``from tests._sockets import ...``),
# from the checkout. The checkout goes LAST on sys.path: twnet itself is already imported (the
# ``-p twnet.testing`` plugin) from wherever it is installed — the wheel under tox, the
# checkout in development (PYTHONPATH, ``python -m pytest``) — and a later ``import twnet.x``
# follows that package, never this directory.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

# Tests stop the programs they start (`python -m twnet echo`, the examples) with SIGINT, as Ctrl-C
# would. A shell starts a background job (`./run-tests &`) with SIGINT ignored, and an ignored
# signal stays ignored across exec, so those programs would never stop: give the suite, and so
# every child it starts, SIGINT's default disposition back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _reactor_clean(twnet_reactor_clean: None) -> Iterator[None]:
    """Applies ``twnet_reactor_clean`` (from the ``twnet.testing`` plugin that pyproject.toml
    loads with ``-p twnet.testing``) to every test of the suite."""
    yield
