"""``destroy()`` and the ``'error'`` / ``'close'`` emission both sides share, on the
common base :class:`Stream` (Node's ``internal/streams/destroy.js``), and the failing of
queued writes a destroy brings."""

from __future__ import annotations

from typing import TypeVar

from twnet._errors import make_error
from twnet._events import EventEmitter
from twnet._rejections import DestroyOnRejection
from twnet._streams.state import Completion, _ReadableState, _State, _WritableStateBase
from twnet._ticks import next_tick, run_callback
from twnet._validators import (
    js_truthy,
)

__all__ = ["Stream"]

_S = TypeVar("_S", bound="Stream")


class Stream(DestroyOnRejection, EventEmitter):
    """What Readable and Writable share: ``destroy()``, ``destroyed``, ``closed``, ``errored``
    and the ``'error'`` / ``'close'`` emission (Node's ``internal/streams/destroy.js``)."""

    # Slots keep a stream (a socket above all) small; ``__dict__`` stays for subclasses and
    # users who add attributes, as JavaScript code adds properties.
    __slots__ = ("__dict__", "_allowHalfOpen", "_readableState", "_writableState")

    # A listener's exception is reported where it escapes and the stream's own work goes on
    # (it still ends, finishes, closes): see EventEmitter.emit.
    _contains_listener_errors = True

    _readableState: _ReadableState | None
    _writableState: _WritableStateBase | None

    def __init__(self) -> None:
        super().__init__()
        self._readableState = None
        self._writableState = None

    def _states(self) -> tuple[_State, ...]:
        r, w = self._readableState, self._writableState
        if r is None:
            return () if w is None else (w,)
        return (r,) if w is None else (r, w)

    def destroy(self: _S, error: BaseException | None = None) -> _S:
        """Destroy the stream, as Node does: later writes fail with ERR_STREAM_DESTROYED,
        queued writes' callbacks get that error (or *error*), no more ``'data'``; then
        ``_destroy(error, cb)`` runs and, on the next tick, ``'error'`` (when *error* is
        given) and ``'close'`` are emitted, once. Calling it again does nothing."""
        if not js_truthy(error):
            error = None  # Node: destroy(0), destroy('') destroy without an error
        states = self._states()
        for s in states:
            if s.destroyed:
                return self
        w = self._writableState
        if w is not None and (w.buffered or w.onFinished):
            next_tick(_error_buffer, w)
        for s in states:
            if error is not None and s.errored is None:
                s.errored = error
            s.destroyed = True
        _run_destroy(self, error)
        return self

    def _undestroy(self) -> None:
        """Node's ``_undestroy`` (``destroy.js``): the states of a destroyed stream back to
        those of a new one, for a socket that connects again. Buffered data and listeners
        stay, as in Node."""
        r, w = self._readableState, self._writableState
        if r is not None:
            r.closed = r.closeEmitted = r.destroyed = r.errorEmitted = r.reading = False
            r.errored = None
            r.ended = r.endEmitted = r.readable is False
        if w is not None:
            w.destroyed = w.closed = w.closeEmitted = w.errorEmitted = False
            w.errored = None
            w.finalCalled = w.prefinished = False
            w.ended = w.ending = w.finished = w.writable is False

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        """Hook: release resources, then ``callback(error)``."""
        callback(error)

    def _after_construct(self) -> None:
        """What each side does once ``_construct`` has called back without an error: the
        readable side reads if a reader waits, the writable side writes what was queued and
        finishes if it was ended (each side's override, then the next's)."""

    def _emit_close(self) -> None:
        """Hook: emit ``'close'`` (with no argument; ``net.Socket`` passes ``hadError``)."""
        self.emit("close")

    @property
    def destroyed(self) -> bool:
        """True once ``destroy()`` was called."""
        states = self._states()
        for s in states:
            if not s.destroyed:
                return False
        return bool(states)

    @property
    def closed(self) -> bool:
        """True once ``_destroy`` has completed (``'close'`` is on its way)."""
        s = self._writableState or self._readableState
        return s is not None and s.closed

    @property
    def errored(self) -> BaseException | None:
        """The error the stream was destroyed with or failed with, else None."""
        s = self._readableState or self._writableState
        return s.errored if s is not None else None


def _run_destroy(stream: Stream, error: BaseException | None) -> None:
    called = False

    def on_destroyed(err: BaseException | None = None, /) -> None:
        nonlocal called
        if called:
            return
        called = True
        for s in stream._states():
            if err is not None and s.errored is None:
                s.errored = err
            s.closed = True
        if err is not None:
            next_tick(_emit_error_close, stream, err)
        else:
            next_tick(_emit_close, stream)

    try:
        stream._destroy(error, on_destroyed)
    except Exception as err:
        on_destroyed(err)


def _emit_error_close(stream: Stream, error: BaseException) -> None:
    _emit_error(stream, error)
    _emit_close(stream)


def _emit_close(stream: Stream) -> None:
    emit = False
    for s in stream._states():
        s.closeEmitted = True
        emit = emit or s.emitClose
    if emit:
        stream._emit_close()


def _emit_error(stream: Stream, error: BaseException) -> None:
    states = stream._states()
    for s in states:
        if s.errorEmitted:
            return
    for s in states:
        s.errorEmitted = True
    stream.emit("error", error)


def _error_or_destroy(stream: Stream, error: BaseException, sync: bool = False) -> None:
    """Node's ``errorOrDestroy``: destroy with *error* (autoDestroy), else emit it."""
    states = stream._states()
    for s in states:
        if s.destroyed:
            return
    for s in states:
        if s.autoDestroy:
            stream.destroy(error)
            return
    for s in states:
        if s.errored is None:
            s.errored = error
    if sync:
        next_tick(_emit_error, stream, error)
    else:
        _emit_error(stream, error)


def _error_buffer(state: _WritableStateBase) -> None:
    """Fail the queued writes and the ``end()`` callbacks (destroyed or errored)."""
    if state.writing:
        return
    queued = state.buffered
    state.buffered = ()
    state.allNoop = True
    for _, _, callback, size in queued:
        state.length -= size
        run_callback(callback, state.errored or make_error("ERR_STREAM_DESTROYED", "write"))
    _call_finished_callbacks(state, state.errored or make_error("ERR_STREAM_DESTROYED", "end"))


def _call_finished_callbacks(state: _WritableStateBase, error: BaseException | None) -> None:
    callbacks, state.onFinished = state.onFinished, ()
    for callback in callbacks:
        run_callback(callback, error)
