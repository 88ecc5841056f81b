"""The session's test certificates (made fresh: tests/tls/certs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tls.certs import make_certs


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """``{'server.pem': b'...', 'server.key': b'...', 'ca.pem': ...}`` (see certs.py)."""
    directory: Path = tmp_path_factory.mktemp("tls-certs")
    return {name: path.read_bytes() for name, path in make_certs(directory).items()}
