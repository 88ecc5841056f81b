"""Node's end-of-stream (``internal/streams/end-of-stream``) and the predicates of
``internal/streams/utils`` that ``finished``, ``pipeline``, ``Duplex.from`` and the stream
iterator share: what a stream looks like, whether its sides are done, and :func:`eos`, which
calls back once a stream is done (see :func:`twnet._pipeline.finished`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from twnet._abort import add_abort_listener, validate_abort_signal
from twnet._errors import abort_error, invalid_arg_type, make_error
from twnet._runtime import next_tick
from twnet._streams import Stream

__all__ = [
    "eos",
    "is_node_stream",
    "is_readable_node_stream",
    "is_writable_node_stream",
]

Callback = Callable[..., object]


# -- what a stream looks like (Node's internal/streams/utils.js) ---------------------------


def is_node_stream(obj: object) -> bool:
    return isinstance(obj, Stream) or (
        callable(getattr(obj, "on", None))
        and (callable(getattr(obj, "pipe", None)) or callable(getattr(obj, "write", None)))
    )


def is_readable_node_stream(obj: Any) -> bool:
    if not (callable(getattr(obj, "pipe", None)) and callable(getattr(obj, "on", None))):
        return False
    r, w = getattr(obj, "_readableState", None), getattr(obj, "_writableState", None)
    return w is None or (r is not None and r.readable is not False)


def is_writable_node_stream(obj: Any) -> bool:
    if not (callable(getattr(obj, "write", None)) and callable(getattr(obj, "on", None))):
        return False
    r, w = getattr(obj, "_readableState", None), getattr(obj, "_writableState", None)
    return r is None or (w is not None and w.writable is not False)


def _states(stream: Any) -> tuple[Any, Any]:
    return getattr(stream, "_readableState", None), getattr(stream, "_writableState", None)


def _will_emit_close(stream: Any) -> bool:
    r, w = _states(stream)
    state = w or r
    return bool(state is not None and state.autoDestroy and state.emitClose and not state.closed)


def _readable_finished(stream: Any, strict: bool) -> bool:
    r = _states(stream)[0]
    if r is None or r.errored is not None:
        return False
    return bool(r.endEmitted or (not strict and r.ended and r.length == 0))


def _writable_finished(stream: Any, strict: bool) -> bool:
    w = _states(stream)[1]
    if w is None or w.errored is not None:
        return False
    return bool(w.finished or (not strict and w.ended and w.length == 0))


def _is_destroyed(stream: Any) -> bool:
    r, w = _states(stream)
    state = w or r
    return bool(getattr(stream, "destroyed", False) or (state is not None and state.destroyed))


def _is_readable(stream: Any) -> bool | None:
    if not isinstance(getattr(stream, "readable", None), bool):
        return None
    if _is_destroyed(stream):
        return False
    return (
        is_readable_node_stream(stream)
        and stream.readable
        and not _readable_finished(stream, False)
    )


def _is_writable(stream: Any) -> bool | None:
    if not isinstance(getattr(stream, "writable", None), bool):
        return None
    if _is_destroyed(stream):
        return False
    w = _states(stream)[1]
    ended = w is not None and w.errored is None and w.ended
    return is_writable_node_stream(stream) and stream.writable and not ended


def _is_closed(stream: Any) -> bool:
    r, w = _states(stream)
    return bool((w is not None and w.closed) or (r is not None and r.closed))


def _errored(stream: Any) -> BaseException | None:
    r, w = _states(stream)
    return (w.errored if w is not None else None) or (r.errored if r is not None else None)


# -- end of stream ---------------------------------------------------------------------------


def _eos(stream: Any, opts: Mapping[str, Any], user_callback: Callback) -> Callable[[], None]:
    # Node checks options.signal before the stream
    validate_abort_signal(opts.get("signal"), "options.signal")
    if not is_node_stream(stream):
        raise invalid_arg_type("stream", ["ReadableStream", "WritableStream", "Stream"], stream)
    r, w = _states(stream)
    readable = opts.get("readable")
    writable = opts.get("writable")
    if readable is None:
        readable = is_readable_node_stream(stream)
    if writable is None:
        writable = is_writable_node_stream(stream)
    will_emit_close = (
        _will_emit_close(stream)
        and is_readable_node_stream(stream) == readable
        and is_writable_node_stream(stream) == writable
    )
    writable_finished = _writable_finished(stream, False)
    readable_finished = _readable_finished(stream, False)

    def close_error() -> BaseException | None:
        errored = _errored(stream)
        if errored is not None:
            return errored
        if (
            readable
            and not readable_finished
            and is_readable_node_stream(stream)
            and callable(getattr(stream, "pause", None))
            and not _readable_finished(stream, False)
        ):
            return make_error("ERR_STREAM_PREMATURE_CLOSE")
        if writable and not writable_finished and not _writable_finished(stream, False):
            return make_error("ERR_STREAM_PREMATURE_CLOSE")
        return None

    # Already over: the answer comes on the next tick, without listening.
    signal = opts.get("signal")
    if signal is not None:
        validate_abort_signal(signal, "options.signal")
    immediate: BaseException | bool | None = False  # False: to be determined
    if _is_closed(stream):
        immediate = close_error()
    elif (w is not None and w.errorEmitted) or (r is not None and r.errorEmitted):
        if not will_emit_close:
            immediate = _errored(stream)
    elif (
        not readable
        and (not will_emit_close or _is_readable(stream))
        and (writable_finished or _is_writable(stream) is False)
        and (w is None or w.pendingcb == 0)
    ) or (
        not writable
        and (not will_emit_close or _is_writable(stream))
        and (readable_finished or _is_readable(stream) is False)
    ):
        immediate = _errored(stream)

    done = False
    stop_signal: list[Callable[[], None]] = []

    def callback(error: BaseException | None = None) -> None:
        nonlocal done
        if not done:
            done = True
            while stop_signal:
                stop_signal.pop()()
            user_callback(error)

    if immediate is not False:
        if opts.get("error") is not False:
            stream.on("error", _nop_listener)

        def cleanup_immediate() -> None:
            nonlocal done
            done = True
            if opts.get("error") is not False:
                stream.removeListener("error", _nop_listener)

        next_tick(callback, immediate)
        return cleanup_immediate
    if signal is not None and signal.aborted:
        next_tick(callback, abort_error(signal.reason))
        return _nop_cleanup

    def onfinish() -> None:
        nonlocal writable_finished, will_emit_close
        writable_finished = True
        if getattr(stream, "destroyed", False):
            will_emit_close = False
        if will_emit_close and (not getattr(stream, "readable", False) or readable):
            return
        if not readable or readable_finished:
            callback()

    def onend() -> None:
        nonlocal readable_finished, will_emit_close
        readable_finished = True
        if getattr(stream, "destroyed", False):
            will_emit_close = False
        if will_emit_close and (not getattr(stream, "writable", False) or writable):
            return
        if not writable or writable_finished:
            callback()

    def onerror(error: BaseException) -> None:
        callback(error)

    def onclose(*_: Any) -> None:
        callback(close_error())

    stream.on("end", onend)
    stream.on("finish", onfinish)
    if opts.get("error") is not False:
        stream.on("error", onerror)
    stream.on("close", onclose)

    def cleanup() -> None:
        nonlocal done
        done = True
        while stop_signal:
            stop_signal.pop()()
        stream.removeListener("finish", onfinish)
        stream.removeListener("end", onend)
        stream.removeListener("error", onerror)
        stream.removeListener("close", onclose)

    if signal is not None:

        def on_abort() -> None:
            if not done:
                error = abort_error(signal.reason)
                cleanup()
                user_callback(error)

        stop_signal.append(add_abort_listener(signal, on_abort))
    return cleanup


def _nop_cleanup() -> None:
    return None


def _nop_listener(*_: Any) -> None:
    return None


eos = _eos
