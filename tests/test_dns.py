"""twnet._dns.default_lookup: Node's dns.lookup over an IHostnameResolver, driven here by a
synchronous fake resolver (no network): families, ``all``, a resolver that raises, names
refused before any resolver is asked."""

from __future__ import annotations

from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IResolutionReceiver

from twnet import _runtime
from twnet._dns import default_lookup


class Resolver:
    """Answers at once with *found*, remembering what it was asked."""

    def __init__(self, found: list[Any], fail: bool = False) -> None:
        self.found, self.fail = found, fail
        self.asked: list[tuple[str, Any]] = []

    def resolveHostName(
        self, receiver: IResolutionReceiver, host: str, port: int, types: Any = None
    ) -> None:
        self.asked.append((host, types))
        if self.fail:
            raise RuntimeError("resolver down")
        receiver.resolutionBegan(None)  # type: ignore[arg-type]
        for address in self.found:
            if types is None or type(address) in types:
                receiver.addressResolved(address)
        receiver.resolutionComplete()


class Reactor:
    def __init__(self, resolver: Resolver) -> None:
        self.nameResolver = resolver


def lookup(resolver: Resolver, host: str, options: dict[str, Any]) -> list[Any]:
    answers: list[Any] = []
    default_lookup(Reactor(resolver))(host, options, lambda *args: answers.append(args))
    _runtime.drain_ticks()
    return answers


FOUND = [IPv6Address("TCP", "::1", 0), IPv4Address("TCP", "127.0.0.1", 0)]


def test_first_address_and_all() -> None:
    resolver = Resolver(FOUND)
    assert lookup(resolver, "localhost", {}) == [(None, "::1", 6)]
    assert lookup(resolver, "localhost", {"all": True}) == [
        (None, [{"address": "::1", "family": 6}, {"address": "127.0.0.1", "family": 4}])
    ]
    assert resolver.asked == [("localhost", None), ("localhost", None)]


def test_family_asks_for_that_family_only() -> None:
    resolver = Resolver(FOUND)
    assert lookup(resolver, "localhost", {"family": 4}) == [(None, "127.0.0.1", 4)]
    assert resolver.asked == [("localhost", [IPv4Address])]


def test_nothing_found_is_enotfound() -> None:
    ((err,),) = lookup(Resolver([]), "nowhere.invalid", {})
    assert (err.code, err.syscall, err.hostname) == ("ENOTFOUND", "getaddrinfo", "nowhere.invalid")


def test_a_raising_resolver_is_enotfound_later() -> None:
    resolver = Resolver(FOUND, fail=True)
    answers: list[Any] = []
    default_lookup(Reactor(resolver))("x.invalid", {}, lambda *args: answers.append(args))
    assert answers == []  # never inside the call
    _runtime.drain_ticks()
    ((err,),) = answers
    assert err.code == "ENOTFOUND" and isinstance(err.__cause__, RuntimeError)


def test_refused_names_never_reach_the_resolver() -> None:
    resolver = Resolver(FOUND)
    ((err,),) = lookup(resolver, "a" * 300, {})
    assert (err.code, err.syscall) == ("EINVAL", "getaddrinfo")
    ((err,),) = lookup(resolver, "a..b", {})
    assert err.code == "ENOTFOUND"
    assert resolver.asked == []
