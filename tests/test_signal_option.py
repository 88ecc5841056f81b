"""The ``signal`` option of ``net.connect`` / ``Socket``, ``server.listen`` and ``twnet.once``,
over real loopback sockets (the Node comparisons are tests/parity/abort_*)."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_twisted
from twisted.internet.defer import CancelledError, Deferred

import twnet
import twnet as net
from tests._sockets import next_turn
from twnet import AbortController, AbortError, AbortSignal


async def listening_server() -> net.Server:
    server = net.createServer(lambda c: c.on("error", lambda e: None))
    server.listen(0, "127.0.0.1")
    await twnet.once(server, "listening")
    return server


def close_of(emitter: Any) -> Deferred[list[Any]]:
    """The arguments of *emitter*'s 'close' (twnet.once would fail at an earlier 'error')."""
    d: Deferred[list[Any]] = Deferred()
    emitter.once("close", lambda *args: d.callback(list(args)))
    return d


async def closed(emitter: Any) -> None:
    await close_of(emitter)


def errors_of(sock: net.Socket) -> list[BaseException]:
    errors: list[BaseException] = []
    sock.on("error", errors.append)
    return errors


@pytest_twisted.ensureDeferred
async def test_abort_while_connecting_destroys_with_abort_error() -> None:
    server = await listening_server()
    controller = AbortController()
    sock = net.connect(server.address().port, "127.0.0.1", signal=controller.signal)
    errors = errors_of(sock)
    close = close_of(sock)
    controller.abort("why")
    assert sock.destroyed
    [had_error] = await close
    assert had_error is True
    [err] = errors
    assert isinstance(err, AbortError) and err.code == "ABORT_ERR" and err.cause == "why"
    assert controller.signal._listeners == {}  # forgotten at 'close'
    server.close()
    await closed(server)


@pytest_twisted.ensureDeferred
async def test_abort_after_connect_destroys_the_open_socket() -> None:
    server = await listening_server()
    controller = AbortController()
    sock = net.Socket({"signal": controller.signal})
    errors = errors_of(sock)
    sock.connect(server.address().port, "127.0.0.1")
    await twnet.once(sock, "connect")
    controller.abort()
    await closed(sock)
    [err] = errors
    assert isinstance(err, AbortError)
    assert err.cause is controller.signal.reason and err.cause.name == "AbortError"
    server.close()
    await closed(server)
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest_twisted.ensureDeferred
async def test_socket_that_closed_forgets_the_signal() -> None:
    server = await listening_server()
    controller = AbortController()
    sock = net.connect(server.address().port, "127.0.0.1", signal=controller.signal)
    await twnet.once(sock, "connect")
    assert len(controller.signal._listeners["abort"]) == 1
    sock.destroy()
    await closed(sock)
    assert controller.signal._listeners == {}
    controller.abort()  # nothing left to destroy, nothing raised
    server.close()
    await closed(server)
    await next_turn()  # the accepted socket's 'close' comes one turn after the server's


@pytest.mark.parametrize("bad", [5, {}, "x", object()])
def test_connect_refuses_what_is_not_a_signal(bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        net.connect({"port": 1, "signal": bad})
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(info.value).startswith('The "signal" argument must be an instance of AbortSignal.')


@pytest_twisted.ensureDeferred
async def test_listen_signal_closes_the_server() -> None:
    controller = AbortController()
    server = net.createServer()
    server.listen({"port": 0, "host": "127.0.0.1", "signal": controller.signal})
    await twnet.once(server, "listening")
    close = twnet.once(server, "close")
    controller.abort()
    assert not server.listening
    await close
    assert controller.signal._listeners == {}


@pytest_twisted.ensureDeferred
async def test_listen_with_an_aborted_signal_never_listens() -> None:
    server = net.createServer()
    seen: list[str] = []
    server.on("listening", lambda: seen.append("listening"))
    server.on("error", lambda e: seen.append("error"))
    server.listen(port=0, host="127.0.0.1", signal=AbortSignal.abort())
    await closed(server)
    await next_turn()
    assert seen == [] and not server.listening


@pytest_twisted.ensureDeferred
async def test_server_closed_first_forgets_the_signal() -> None:
    controller = AbortController()
    server = net.createServer()
    server.listen({"port": 0, "host": "127.0.0.1", "signal": controller.signal})
    await twnet.once(server, "listening")
    server.close()
    await closed(server)
    assert controller.signal._listeners == {}


def test_listen_refuses_what_is_not_a_signal() -> None:
    server = net.createServer()
    with pytest.raises(TypeError) as info:
        server.listen({"port": 0, "signal": "nope"})
    assert str(info.value).startswith(
        'The "options.signal" property must be an instance of AbortSignal.'
    )
    assert not server.listening


# -- twnet.once ---------------------------------------------------------------------------


def _failure(d: Deferred[Any]) -> BaseException:
    found: list[BaseException] = []
    d.addErrback(lambda f: found.append(f.value))
    assert len(found) == 1
    return found[0]


def test_once_abort_rejects_and_removes_every_listener() -> None:
    emitter = twnet.EventEmitter()
    controller = AbortController()
    d = twnet.once(emitter, "ping", signal=controller.signal)
    assert (emitter.listenerCount("ping"), emitter.listenerCount("error")) == (1, 1)
    controller.abort("stop")
    err = _failure(d)
    assert isinstance(err, AbortError) and err.cause == "stop"
    assert (emitter.listenerCount("ping"), emitter.listenerCount("error")) == (0, 0)
    assert controller.signal._listeners == {}


def test_once_resolves_and_forgets_the_signal() -> None:
    emitter = twnet.EventEmitter()
    controller = AbortController()
    got: list[Any] = []
    twnet.once(emitter, "ping", {"signal": controller.signal}).addCallback(got.append)
    emitter.emit("ping", 1, 2)
    assert got == [[1, 2]]
    assert controller.signal._listeners == {}
    controller.abort()


def test_once_error_first_forgets_the_signal() -> None:
    emitter = twnet.EventEmitter()
    controller = AbortController()
    d = twnet.once(emitter, "ping", signal=controller.signal)
    boom = ValueError("boom")
    emitter.emit("error", boom)
    assert _failure(d) is boom
    assert controller.signal._listeners == {} and emitter.listenerCount("ping") == 0


def test_once_cancel_forgets_the_signal() -> None:
    emitter = twnet.EventEmitter()
    controller = AbortController()
    d = twnet.once(emitter, "ping", signal=controller.signal)
    d.cancel()
    assert isinstance(_failure(d), CancelledError)
    assert controller.signal._listeners == {}
    assert (emitter.listenerCount("ping"), emitter.listenerCount("error")) == (0, 0)


def test_once_with_an_aborted_signal_adds_nothing() -> None:
    emitter = twnet.EventEmitter()
    err = _failure(twnet.once(emitter, "ping", signal=AbortSignal.abort("early")))
    assert isinstance(err, AbortError) and err.cause == "early"
    assert emitter.eventNames() == []


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((5,), {}, 'The "options" argument must be of type object.'),
        (({"signal": 5},), {}, 'The "options.signal" property must be an instance of AbortSignal.'),
        ((), {"signal": "x"}, 'The "options.signal" property must be an instance of AbortSignal.'),
    ],
)
def test_once_bad_arguments_fail_the_deferred(args: Any, kwargs: Any, message: str) -> None:
    emitter = twnet.EventEmitter()
    err = _failure(twnet.once(emitter, "x", *args, **kwargs))
    assert err.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(err).startswith(message)
    assert emitter.eventNames() == []


def test_once_of_something_that_is_no_emitter() -> None:
    err = _failure(twnet.once(object(), "x"))
    assert str(err).startswith('The "emitter" argument must be an instance of EventEmitter.')


def test_once_on_an_event_target() -> None:
    target = twnet.EventTarget()
    got: list[Any] = []
    controller = AbortController()
    twnet.once(target, "hello", signal=controller.signal).addCallback(got.append)
    event = twnet.Event("hello")
    target.dispatchEvent(event)
    assert got == [[event]]
    assert target._listeners == {} and controller.signal._listeners == {}
    d = twnet.once(target, "bye", signal=controller.signal)
    controller.abort()
    assert isinstance(_failure(d), AbortError)
    assert target._listeners == {}
