"""The reliability suite's figures: the load and hostile-peer tests record what they moved
and how long it took (:func:`figures`), and the run ends with them in the terminal summary
(the numbers ``docs/reliability.md`` quotes)."""

from __future__ import annotations

from typing import Any

import pytest

_FIGURES: dict[str, str] = {}


@pytest.fixture
def figures() -> dict[str, str]:
    """Name -> one line of figures, shown at the end of the run."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for name, line in sorted(_FIGURES.items()):
            terminalreporter.write_line(f"{name}: {line}")
