"""Every private (undocumented) part of Twisted that twnet relies on, pinned.

twnet reaches under Twisted's public interfaces in a few places, each for a reason given where
it does (``twnet/_transport.py``: write-through and flushing on close; ``twnet/_listen.py``:
adopting a listening UNIX socket). A Twisted release that renames or changes one of these must
fail here, loudly and by name, rather than somewhere deep in a socket test. When one fails:
adapt the module that uses it (grep twnet/ for the name), then this list.
"""

from __future__ import annotations

import inspect
import socket
from collections.abc import Iterator

import pytest
from twisted.internet import abstract, tcp, unix
from twisted.internet.base import ReactorBase
from twisted.internet.protocol import Protocol
from twisted.internet.testing import MemoryReactorClock
from twisted.python import util

#: The fields of a connected TCP/UNIX transport (``tcp.Connection``, a
#: ``FileDescriptor``) that twnet/_transport.py reads or writes, with their type when idle.
CONNECTION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "socket": socket.socket,
    "connected": (int, bool),
    "disconnecting": (int, bool),
    "_writeDisconnecting": bool,
    "_writeDisconnected": bool,
    "_tempDataBuffer": list,
    "_tempDataLen": int,
    "dataBuffer": bytes,
    "offset": int,
    "SEND_LIMIT": int,
    "TLS": bool,
}

#: Methods of ``tcp.Connection`` that twnet/_transport.py calls.
CONNECTION_METHODS = [
    "writeSomeData",
    "stopReading",
    "stopWriting",
    "connectionLost",
    "_closeWriteConnection",
]


@pytest.fixture
def connection() -> Iterator[tcp.Connection]:
    """A connected ``tcp.Connection`` over a socket pair, on a memory reactor."""
    ours, theirs = socket.socketpair()
    theirs.close()
    reactor = MemoryReactorClock()
    transport = tcp.Connection(ours, Protocol(), reactor)  # type: ignore[no-untyped-call]
    transport.connected = 1
    yield transport
    ours.close()


def test_the_connection_fields_exist_with_their_types(connection: tcp.Connection) -> None:
    for name, kind in CONNECTION_FIELDS.items():
        assert hasattr(connection, name), f"tcp.Connection.{name} is gone"
        assert isinstance(getattr(connection, name), kind), f"tcp.Connection.{name}: type changed"
    assert connection.SEND_LIMIT > 0
    assert connection.TLS is False


def test_the_connection_methods_exist(connection: tcp.Connection) -> None:
    for name in CONNECTION_METHODS:
        assert callable(getattr(connection, name, None)), f"tcp.Connection.{name} is gone"


def test_the_write_buffer_is_what_twnet_reads(connection: tcp.Connection) -> None:
    """An idle transport has nothing buffered (``offset == len(dataBuffer)``, no
    ``_tempDataLen``); ``write()`` queues into ``_tempDataBuffer``/``_tempDataLen`` until the
    reactor lets it write (what ``write_now`` and ``flush_and_drop`` depend on)."""
    assert connection.offset == len(connection.dataBuffer) == 0
    assert connection._tempDataBuffer == [] and connection._tempDataLen == 0
    connection.write(b"abc")
    assert connection._tempDataLen == 3
    assert b"".join(connection._tempDataBuffer) == b"abc"


def test_the_transport_classes_are_connections() -> None:
    """twnet writes through and flushes only for these classes, as ``tcp.Connection``s."""
    for cls in (tcp.Server, tcp.Client, unix.Server, unix.Client):
        assert issubclass(cls, tcp.Connection), cls
        assert issubclass(cls, abstract.FileDescriptor), cls


def test_the_unix_port_can_adopt_a_listening_descriptor() -> None:
    """twnet/_listen.py adopts a listening UNIX socket through the private classmethod
    ``unix.Port._fromListeningDescriptor`` and hides its path from chmod/unlink by setting
    ``_bindPath`` before ``startListening``."""
    assert inspect.ismethod(getattr(unix.Port, "_fromListeningDescriptor", None))
    source = inspect.getsource(unix.Port)
    assert "_bindPath" in source
    assert "def startListening" in source


def test_the_helpers_twnet_uses() -> None:
    assert callable(util.untilConcludes)
    # twnet.run() wraps the reactor's runUntilCurrent to ask, after each turn, if it is over
    assert callable(getattr(ReactorBase, "runUntilCurrent", None))
