"""twnet._connect.Connector on its own: connect orchestration reports to its owner through
ConnectOwner only (events, destroy), and cancel() abandons the attempt and its timer. A fake
owner and fake endpoints on a Clock: no network, no Socket."""

from __future__ import annotations

from typing import Any

import pytest
from twisted.internet import defer
from twisted.internet import error as terror
from twisted.internet.task import Clock

from twnet import _connect, _runtime
from twnet._requests import ConnectRequest


class Owner:
    """The smallest ConnectOwner: records what the connector tells it."""

    def __init__(self, reactor: Any) -> None:
        self._reactor = reactor
        self.connecting = True
        self.destroyed = False
        self.blockList = None
        self.autoSelectFamilyAttemptedAddresses: list[str] | None = None
        self.events: list[tuple[Any, ...]] = []

    def emit(self, event: str, /, *args: Any) -> bool:
        self.events.append((event, *args))
        return True

    def destroy(self, error: BaseException | None = None, /) -> None:
        self.events.append(("destroy", getattr(error, "code", error)))
        self.connecting, self.destroyed = False, True


class Refusing:
    def connect(self, factory: Any) -> defer.Deferred[Any]:
        return defer.fail(terror.ConnectionRefusedError())


class Hanging:
    def __init__(self) -> None:
        self.pending: list[defer.Deferred[Any]] = []

    def connect(self, factory: Any) -> defer.Deferred[Any]:
        d: defer.Deferred[Any] = defer.Deferred()
        self.pending.append(d)
        return d


def test_an_endpoint_failure_destroys_the_owner_later() -> None:
    owner = Owner(Clock())
    connector = _connect.Connector(owner)
    with _runtime.user_call():
        connector.start(ConnectRequest(None, endpoint=Refusing()))
    assert owner.events == []  # never inside connect()
    _runtime.drain_ticks()
    assert owner.events == [("destroy", "ECONNREFUSED")]


def test_attempts_time_out_in_turn_and_cancel_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    hanging = Hanging()
    monkeypatch.setattr(_connect, "_tcp_endpoint", lambda *args: hanging)
    owner = Owner(clock)
    connector = _connect.Connector(owner)

    def lookup(host: str, options: dict[str, Any], callback: Any) -> None:
        assert options["all"] is True
        callback(None, [{"address": "::1", "family": 6}, {"address": "127.0.0.1", "family": 4}])

    request = ConnectRequest(None, host="localhost", port=9, lookup=lookup, attempt_timeout=100)
    connector.start(request)
    assert owner.events == [
        ("lookup", None, "::1", 6, "localhost"),
        ("lookup", None, "127.0.0.1", 4, "localhost"),
        ("connectionAttempt", "::1", 9, 6),
    ]
    assert connector.attempting and len(clock.getDelayedCalls()) == 1
    clock.advance(0.1)
    assert owner.events[3:] == [
        ("connectionAttemptTimeout", "::1", 9, 6),
        ("connectionAttempt", "127.0.0.1", 9, 4),
    ]
    assert hanging.pending[0].called  # the first attempt was abandoned
    assert owner.autoSelectFamilyAttemptedAddresses == ["::1:9", "127.0.0.1:9"]
    assert not clock.getDelayedCalls()  # the last attempt has no timer
    connector.cancel()
    assert hanging.pending[1].called and not connector.attempting
    assert owner.events[5:] == []  # a cancelled attempt reports nothing
