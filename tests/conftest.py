"""Suite-wide fixtures: every test must leave the reactor clean (``twnet.testing``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _reactor_clean(twnet_reactor_clean: None) -> Iterator[None]:
    """Applies ``twnet_reactor_clean`` (from the ``twnet.testing`` plugin that pyproject.toml
    loads with ``-p twnet.testing``) to every test of the suite."""
    yield
