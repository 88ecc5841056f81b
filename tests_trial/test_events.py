"""twnet's EventEmitter and ``twnet.once`` under trial."""

from __future__ import annotations

from typing import Any

from twisted.internet.defer import Deferred
from twisted.trial import unittest

import twnet


class EventEmitterTests(unittest.TestCase):
    def test_on_and_emit(self) -> None:
        emitter = twnet.EventEmitter()
        calls: list[tuple[Any, ...]] = []
        emitter.on("x", lambda *args: calls.append(args))
        self.assertIs(emitter.emit("x", 1, "two"), True)
        self.assertEqual(calls, [(1, "two")])
        self.assertIs(emitter.emit("nobody-listens"), False)

    def test_once_listener_runs_once(self) -> None:
        emitter = twnet.EventEmitter()
        calls: list[tuple[Any, ...]] = []
        emitter.once("x", lambda *args: calls.append(args))
        emitter.emit("x", 1)
        emitter.emit("x", 2)
        self.assertEqual(calls, [(1,)])

    def test_remove_listener_and_snake_case_twin(self) -> None:
        emitter = twnet.EventEmitter()
        calls: list[str] = []

        def first() -> None:
            calls.append("first")

        def second() -> None:
            calls.append("second")

        emitter.on("x", first)
        emitter.on("x", second)
        self.assertEqual(emitter.listenerCount("x"), 2)
        emitter.removeListener("x", first)
        emitter.remove_listener("x", second)
        self.assertEqual(emitter.listener_count("x"), 0)
        self.assertIs(emitter.emit("x"), False)
        self.assertEqual(calls, [])

    def test_error_without_listener_raises_it(self) -> None:
        emitter = twnet.EventEmitter()
        error = ValueError("boom")
        with self.assertRaises(ValueError) as raised:
            emitter.emit("error", error)
        self.assertIs(raised.exception, error)


class OnceTests(unittest.TestCase):
    def test_fires_with_the_argument_list(self) -> Deferred[None]:
        emitter = twnet.EventEmitter()
        d = twnet.once(emitter, "x")
        self.assertIsInstance(d, Deferred)
        emitter.emit("x", 1, "two")

        def check(args: list[Any]) -> None:
            self.assertEqual(args, [1, "two"])
            self.assertEqual(emitter.listenerCount("x"), 0)

        return d.addCallback(check)

    def test_is_awaitable(self) -> Deferred[None]:
        emitter = twnet.EventEmitter()

        async def wait() -> None:
            self.assertEqual(await twnet.once(emitter, "x"), ["a"])

        d = Deferred.fromCoroutine(wait())
        emitter.emit("x", "a")
        return d

    def test_error_event_fails_it(self) -> Deferred[ValueError]:
        emitter = twnet.EventEmitter()
        d = twnet.once(emitter, "x")
        emitter.emit("error", ValueError("boom"))
        return self.assertFailure(d, ValueError)
