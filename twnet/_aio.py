"""The Python-native forms of Socket and Server: ``await``, ``async with``, ``async for``.

:class:`AwaitableSocketMixin` and :class:`AwaitableServerMixin` are base classes of
:class:`~twnet.Socket` and :class:`~twnet.Server`. Everything they return to be awaited is an
:class:`~twnet._awaitable.AwaitableDeferred`: it works in a Twisted coroutine and, on the
asyncio reactor, in an asyncio coroutine. Whatever they listen to while awaited they remove
again: on the outcome, and when the await is cancelled.

A socket's ``async with`` and ``async for`` are a Readable's (see
:mod:`twnet._readable_aio`).
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from twnet._errors import make_error

if TYPE_CHECKING:
    from typing_extensions import Self

    from twnet._awaitable import AwaitableDeferred

# What is awaited is Twisted's (twnet._awaitable), imported when first awaited: importing
# Socket and Server imports no Twisted.

__all__ = ["AwaitableServerMixin", "AwaitableSocketMixin", "ServerIterator", "settle_on"]

_T = TypeVar("_T")


def settle_on(
    emitter: Any,
    outcomes: dict[str, Callable[..., tuple[bool, Any]]],
) -> AwaitableDeferred[Any]:
    """An AwaitableDeferred settled by the first of *outcomes*' events to be emitted: its
    function maps the event's arguments to ``(True, value)`` (succeed with value) or
    ``(False, error)`` (fail with error). Every listener is removed when one of them fires
    and when the Deferred is cancelled."""
    from twnet._awaitable import AwaitableDeferred

    listeners: list[tuple[str, Callable[..., None]]] = []

    def remove_all() -> None:
        for name, listener in listeners:
            emitter.removeListener(name, listener)
        listeners.clear()

    result: AwaitableDeferred[Any] = AwaitableDeferred(lambda _: remove_all())

    def listen(name: str, outcome: Callable[..., tuple[bool, Any]]) -> None:
        def listener(*args: Any) -> None:
            remove_all()
            ok, value = outcome(*args)
            if ok:
                result.callback(value)
            else:
                result.errback(value)

        emitter.on(name, listener)
        listeners.append((name, listener))

    for name, outcome in outcomes.items():
        listen(name, outcome)
    return result


class AwaitableSocketMixin:
    """``sock = await net.connect(port)``: wait for ``'connect'``."""

    def _await_connect(self) -> AwaitableDeferred[Any]:
        """What ``await sock`` waits on: the socket once ``'connect'`` was emitted (at once
        when it is connected), the error of a failed connect (``'error'``), or
        ``ERR_SOCKET_CLOSED`` when it is (or gets) destroyed without one."""
        from twnet._awaitable import failed, succeeded

        sock: Any = self
        if sock.destroyed:
            return failed(make_error("ERR_SOCKET_CLOSED"))
        if not sock.pending and not sock.connecting:
            return succeeded(self)
        return settle_on(
            self,
            {
                "connect": lambda *_: (True, self),
                "error": lambda error, *_: (False, error),
                "close": lambda *_: (False, make_error("ERR_SOCKET_CLOSED")),
            },
        )

    def __await__(self) -> Generator[Any, Any, Self]:
        """``await sock`` (see :meth:`_await_connect`): in a Twisted coroutine, and in an asyncio
        one on the asyncio reactor."""
        from twnet._awaitable import wait

        return wait(self._await_connect())


class AwaitableServerMixin:
    """``server = await net.createServer(handler).listen(0)``; ``async with server``;
    ``async for conn in server``."""

    def _await_listening(self) -> AwaitableDeferred[Any]:
        """What ``await server`` waits on: the server once ``'listening'`` was emitted (at
        once when it listens), the listen error (``'error'``), or ``ERR_SERVER_NOT_RUNNING``
        when it closes first. A server that was never told to listen waits for a later
        ``listen()``."""
        from twnet._awaitable import succeeded

        if getattr(self, "listening", False):
            return succeeded(self)
        return settle_on(
            self,
            {
                "listening": lambda *_: (True, self),
                "error": lambda error, *_: (False, error),
                "close": lambda *_: (False, make_error("ERR_SERVER_NOT_RUNNING")),
            },
        )

    def __await__(self) -> Generator[Any, Any, Self]:
        """``await server`` (see :meth:`_await_listening`)."""
        from twnet._awaitable import wait

        return wait(self._await_listening())

    # -- async with: Node's Server[Symbol.asyncDispose] --------------------------------------

    def __aenter__(self) -> AwaitableDeferred[Self]:
        from twnet._awaitable import succeeded

        return succeeded(self)

    def __aexit__(self, *exc: object) -> AwaitableDeferred[None]:
        """Node's ``server[Symbol.asyncDispose]()``: nothing when the server has no handle
        (never listened, closed, or a listen still looking its host up); else ``close()``,
        completing with its callback, failing with the callback's error."""
        from twnet._awaitable import AwaitableDeferred, succeeded

        if not self._has_handle():
            return succeeded(None)
        closed: AwaitableDeferred[None] = AwaitableDeferred()

        def on_closed(error: BaseException | None = None, *_: Any) -> None:
            if error is not None:
                closed.errback(error)
            else:
                closed.callback(None)

        self.close(on_closed)  # type: ignore[attr-defined]
        return closed

    def _has_handle(self) -> bool:
        """Node's ``server._handle`` is set: listening, or binding (not during a lookup)."""
        # (Server's ServerState, read by value: the facade module is not imported here)
        state = getattr(self, "_state", None)
        return state is not None and state.value != "idle"

    # -- async for conn in server ---------------------------------------------------------

    def __aiter__(self) -> ServerIterator:
        """``async for conn in server``: each accepted socket until the server's
        ``'close'``; raises the server's ``'error'``."""
        return ServerIterator(self)


class ServerIterator:
    """``async for conn in server`` (see :meth:`AwaitableServerMixin.__aiter__`).

    Connections accepted while the loop body runs wait in order; none is dropped. The loop
    ends at the server's ``'close'`` and raises its ``'error'``. Leaving it early (``break``,
    an exception; or :meth:`aclose`) stops listening and destroys the connections accepted but
    not yet handed out; the server goes on listening. The server's listeners hold this
    iterator weakly, so a loop left by ``break`` drops it, and it closes itself then.
    """

    def __init__(self, server: Any) -> None:
        self._server = server
        self._accepted: deque[Any] = deque()
        self._waiting: deque[AwaitableDeferred[Any]] = deque()
        self._outcome: BaseException | None = None  # StopAsyncIteration or the error
        self._listeners = [
            (name, _weak_listener(getattr(self, method)))
            for name, method in (
                ("connection", "_on_connection"),
                ("error", "_on_error"),
                ("close", "_on_close"),
            )
        ]
        for name, listener in self._listeners:
            server.on(name, listener)

    # -- the server's side -------------------------------------------------------------

    def _on_connection(self, conn: Any, *_: Any) -> None:
        if self._waiting:
            _settle_later(self._waiting.popleft(), conn)
        else:
            self._accepted.append(conn)

    def _on_error(self, error: BaseException, *_: Any) -> None:
        self._end(error)

    def _on_close(self, *_: Any) -> None:
        self._end(StopAsyncIteration())

    def _end(self, outcome: BaseException) -> None:
        self._stop_listening()
        while self._waiting:  # the error goes to the first waiting, the end to the others
            _settle_later(self._waiting.popleft(), outcome)
            outcome = StopAsyncIteration()
        self._outcome = outcome

    def _stop_listening(self) -> None:
        listeners, self._listeners = self._listeners, []
        for name, listener in listeners:
            self._server.removeListener(name, listener)

    # -- the loop's side ---------------------------------------------------------------

    def __aiter__(self) -> ServerIterator:
        return self

    def __anext__(self) -> AwaitableDeferred[Any]:
        """An AwaitableDeferred of the next accepted socket."""
        from twnet._awaitable import AwaitableDeferred, failed, succeeded

        if self._accepted:
            return succeeded(self._accepted.popleft())
        if self._outcome is not None:
            outcome, self._outcome = self._outcome, StopAsyncIteration()
            return failed(outcome)
        waiting: AwaitableDeferred[Any] = AwaitableDeferred(self._cancelled)
        self._waiting.append(waiting)
        return waiting

    def _cancelled(self, waiting: Any) -> None:
        self._waiting = deque(w for w in self._waiting if w is not waiting)

    def aclose(self) -> AwaitableDeferred[None]:
        """Stop listening; destroy the connections accepted but not handed out."""
        from twnet._awaitable import succeeded

        self._close()
        return succeeded(None)

    def _close(self) -> None:
        self._stop_listening()
        if self._outcome is None:
            self._outcome = StopAsyncIteration()
        while self._accepted:
            self._accepted.popleft().destroy()

    def __del__(self) -> None:
        # ``async for`` drops its iterator when the loop is left: as Node's return()
        self._close()


def _weak_listener(method: Any) -> Callable[..., None]:
    ref = weakref.WeakMethod(method)

    def listener(*args: Any) -> None:
        bound = ref()
        if bound is not None:
            bound(*args)

    return listener


def _settle_later(waiting: AwaitableDeferred[Any], outcome: Any) -> None:
    """Fire *waiting* on the next tick (never inside the server's emit)."""
    from twnet._ticks import next_tick

    def settle() -> None:
        if waiting.called:  # cancelled meanwhile
            return
        if isinstance(outcome, BaseException):
            waiting.errback(outcome)
        else:
            waiting.callback(outcome)

    next_tick(settle)
