"""Node's ``stream.finished()`` and ``stream.pipeline()`` (callback forms).

``finished(stream[, options], callback)`` calls ``callback(err)`` once the stream is done: its
readable side ended and its writable side finished (and, for a stream that emits ``'close'``,
after ``'close'``), or with the error that failed it, or with ``ERR_STREAM_PREMATURE_CLOSE``
when it closed before that. It returns a function that removes its listeners.

``pipeline(source, ...transforms, destination, callback)`` pipes the streams one into the
next, and when any of them fails or closes early, destroys every one of them and calls
``callback(err)`` with the first error; ``callback(None)`` once the destination finished.
The source may also be an iterable (sync or async), made a stream with ``Readable.from_``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from twnet._abort import AbortController, add_abort_listener, validate_abort_signal
from twnet._callables import call
from twnet._eos import (
    Callback,
    _eos,
    _readable_finished,
    _states,
    is_node_stream,
    is_readable_node_stream,
)
from twnet._errors import abort_error, engine_type_error, invalid_arg_type, make_error
from twnet._from import as_deferred, is_awaitable
from twnet._runtime import next_tick
from twnet._stream_iter import stream_chunks
from twnet._streams import Duplex
from twnet._validators import validate_object


def duplex_from(body: Any) -> Any:
    return Duplex.from_(body)


def _PassThrough(options: dict[str, Any]) -> Any:
    from twnet._transform import PassThrough

    return PassThrough(options)


__all__ = ["finished", "pipeline"]


# -- finished -------------------------------------------------------------------------------


def finished(
    stream: Any,
    options: Mapping[str, Any] | Callback | None = None,
    callback: Callback | None = None,
    /,
    **kwargs: Any,
) -> Callable[[], None]:
    """Node's ``stream.finished(stream[, options], callback)`` (``end-of-stream``).

    Options: ``readable`` / ``writable`` (False: do not wait for that side), ``error``
    (False: an ``'error'`` does not count as the end), ``signal`` (an AbortSignal: aborting
    stops the watch and calls back with an ``AbortError``). Returns the cleanup function that
    removes every listener it added."""
    if callable(options) and callback is None:
        callback, options = options, None
    opts: dict[str, Any] = dict(options) if isinstance(options, Mapping) else {}
    if options is not None:
        # Node's validateObject: a Buffer or any other object passes; one that is not a
        # mapping has none of the options.
        validate_object(options, "options")
    opts.update(kwargs)
    if not callable(callback):
        raise invalid_arg_type("callback", "function", callback)
    user_callback = callback
    # JavaScript's arity (finished(s, lambda: ...)); an async def callback runs.
    return _eos(stream, opts, lambda error=None: call(user_callback, error))


# -- pipeline -------------------------------------------------------------------------------


def _destroyer(stream: Any, reading: bool, writing: bool) -> Callable[[BaseException | None], None]:
    """What pipeline calls to destroy *stream* (Node's ``destroyer``): nothing once the stream
    is done or closed."""
    done = False

    def on_close(*_: Any) -> None:
        nonlocal done
        done = True

    def on_finished(error: BaseException | None = None) -> None:
        nonlocal done
        done = error is None

    stream.on("close", on_close)
    _eos(stream, {"readable": reading, "writable": writing}, on_finished)

    def destroy(error: BaseException | None) -> None:
        nonlocal done
        if done:
            return
        done = True
        _destroy_stream(stream, error or make_error("ERR_STREAM_DESTROYED", "pipe"))

    return destroy


def _destroy_stream(stream: Any, error: BaseException) -> None:
    destroy = getattr(stream, "destroy", None)
    if callable(destroy):
        destroy(error)
    elif callable(getattr(stream, "close", None)):
        stream.close()


def pipeline(*streams: Any) -> Any:
    """Node's ``stream.pipeline(source[, ...transforms], destination, callback)`` (the
    streams may also be given as one list). Returns the destination.

    The source may be a Readable, a sync or async iterable (made a stream with
    :meth:`Readable.from_ <twnet.stream.Readable.from_>`) or a function returning one; the
    transforms Duplex streams or functions taking the previous stage's chunks (an async
    iterable) and returning an async iterable; the destination a Writable. On success
    ``callback(None)`` once every stream is done; on the first error (or premature close)
    every stream not yet done is destroyed with that error and ``callback(err)`` follows, on
    the next tick."""
    items = list(streams)
    callback = items.pop() if items else None
    if not callable(callback) or is_node_stream(callback):
        raise invalid_arg_type("streams[stream.length - 1]", "function", callback)
    return pipeline_impl(items, callback)


def pipeline_impl(
    streams: list[Any], callback: Callback, *, end: bool = True, signal: Any = None
) -> Any:
    """The pipeline behind both forms; *end* False leaves the destination open."""
    if len(streams) == 1 and isinstance(streams[0], list | tuple):
        streams = list(streams[0])
    if len(streams) < 2:
        raise make_error("ERR_MISSING_ARGS", "streams")
    if signal is not None:
        validate_abort_signal(signal, "options.signal")

    error: BaseException | None = None
    controller = AbortController()  # what function stages get as their signal
    stage_signal = controller.signal
    destroys: list[Callable[[BaseException | None], None]] = []
    finish_count = 0
    called = False
    stop_signal: list[Callable[[], None]] = []
    outcome: list[Any] = []

    def finish(err: BaseException | None = None) -> None:
        nonlocal finish_count
        finish_count -= 1
        finish_impl(err, finish_count == 0)

    def finish_only_error(err: BaseException | None = None) -> None:
        finish_impl(err, False)

    def finish_impl(err: BaseException | None, final: bool) -> None:
        nonlocal error, called
        if err is not None and (
            error is None
            or getattr(error, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"
            or type(error).__name__ == "AbortError"
        ):
            error = err
        if error is None and not final:
            return
        while destroys:
            destroys.pop(0)(error)
        while stop_signal:
            stop_signal.pop()()
        controller.abort()
        if final and not called:
            called = True
            if outcome:  # what a final function stage's awaitable gave (Node's value)
                next_tick(call, callback, error, outcome[0])
            else:
                next_tick(call, callback, error)  # JavaScript arity; async runs

    def on_late_error(err: BaseException) -> None:
        # Errors after the pipe completed; aborts and premature closes are reported by eos.
        if err is not None and not (
            type(err).__name__ == "AbortError"
            or getattr(err, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"
        ):
            finish_only_error(err)

    ret: Any = None
    last = len(streams) - 1
    for index, stream in enumerate(streams):
        reading = index < last
        writing = index > 0
        do_end = reading or end
        if is_node_stream(stream):
            following = streams[index + 1] if reading else None
            if following is not None and (
                getattr(following, "closed", False) or getattr(following, "destroyed", False)
            ):
                raise make_error("ERR_STREAM_UNABLE_TO_PIPE")
            if do_end:
                destroys.append(_destroyer(stream, reading, writing))
            stream.on("error", on_late_error)
        if callable(stream) and not is_node_stream(stream):
            ret = _function_stage(stream, index, reading, ret, stage_signal)
            if not reading:  # the last stage: its output goes through a PassThrough
                out = _PassThrough({"objectMode": True})
                finish_count += 1
                if is_awaitable(ret):
                    _settle_into(ret, out, finish, do_end, outcome)
                elif hasattr(ret, "__aiter__"):
                    next_tick(_start_pump, ret, out, finish, do_end)
                else:
                    raise make_error(
                        "ERR_INVALID_RETURN_VALUE", "AsyncIterable or Promise", "destination", ret
                    )
                destroys.append(_destroyer(out, False, True))
                ret = out
            continue
        if index == 0:
            if (
                is_readable_node_stream(stream)
                or _is_js_iterable(stream)
                or _is_transform_pair(stream)
            ):
                # an iterable (or a pair's readable side) is pumped into the next stream
                ret = stream
            else:
                # a Writable becomes a Duplex whose readable side is closed; a pair, an
                # awaitable...: see Duplex.from
                ret = duplex_from(stream)
        elif is_node_stream(stream):
            if is_readable_node_stream(ret):
                finish_count += 2
                _pipe(ret, stream, finish, finish_only_error, do_end)
            elif _is_transform_pair(ret):  # Node takes it for a web TransformStream
                finish_count += 1
                next_tick(_start_pump, _pair_readable(ret), stream, finish, do_end)
            elif _is_js_iterable(ret) or is_node_stream(ret):
                # a function stage's output, or a stream Node iterates (a Readable's async
                # iterator): a Duplex made of a Writable, whose readable side is closed
                finish_count += 1
                next_tick(_start_pump, ret, stream, finish, do_end)
            else:
                raise invalid_arg_type("val", _VAL_TYPES, ret)
            ret = stream
        elif _is_transform_pair(stream):
            # Node takes a {readable, writable} pair after the source for a web
            # TransformStream and writes to it with getWriter(), which a pair has not: an
            # uncaught TypeError (Node's unhandled rejection); the callback never comes.
            if not (
                is_readable_node_stream(ret) or _is_js_iterable(ret) or _is_transform_pair(ret)
            ):
                raise invalid_arg_type("val", _VAL_TYPES, ret)
            finish_count += 1
            next_tick(_report_no_writer, _pair_member(stream, "writable"))
            ret = stream
        else:
            # Node: Duplex.from(stage), which replaces what came before (nothing is piped
            # into it)
            ret = duplex_from(stream)
    if signal is not None:

        def on_abort() -> None:
            finish_impl(abort_error(signal.reason), True)

        stop_signal.append(add_abort_listener(signal, on_abort))
    return ret


_VAL_TYPES = ["Readable", "Iterable", "AsyncIterable", "ReadableStream", "TransformStream"]


def _pair_member(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, _MISSING)
    return getattr(obj, name, _MISSING)


_MISSING = object()


def _is_js_object(value: object) -> bool:
    """``typeof value === 'object'`` (None given is ``null``, an object in JavaScript)."""
    return value is not _MISSING and not (
        isinstance(value, bool | int | float | str) or callable(value)
    )


def _is_transform_pair(obj: object) -> bool:
    """Node's ``isTransformStream``: no Node stream, but ``readable`` and ``writable`` both
    objects (a ``{'readable': r, 'writable': w}`` pair passes)."""
    return (
        obj is not None
        and not is_node_stream(obj)
        and _is_js_object(_pair_member(obj, "readable"))
        and _is_js_object(_pair_member(obj, "writable"))
    )


def _pair_readable(pair: Any) -> Any:
    """``pair.readable || pair``."""
    readable = _pair_member(pair, "readable")
    return readable if readable is not None and readable is not _MISSING else pair


def _report_no_writer(writable: Any) -> None:
    from twnet._runtime import report_uncaught

    if writable is None:
        error = engine_type_error("Cannot read properties of null (reading 'getWriter')")
    else:
        error = engine_type_error("writable.getWriter is not a function")
    report_uncaught(Failure(error))


def _settle_into(
    awaitable: Any,
    out: Any,
    finish: Callable[..., None],
    end: bool,
    outcome: list[Any],
) -> None:
    """A final function stage that returned an awaitable (an ``async def`` function): its
    value (unless None) is written to *out*, which then ends; a failure destroys *out*. The
    value is what the callback gets after the error (Node's ``callback(err, value)``)."""

    def settled(value: Any) -> None:
        outcome.append(value)
        if value is not None:
            out.write(value)
        if end:
            out.end()
        next_tick(finish)

    def failed(failure: Failure) -> None:
        out.destroy(failure.value)
        next_tick(finish, failure.value)

    as_deferred(awaitable).addCallbacks(
        lambda value: next_tick(settled, value), lambda failure: next_tick(failed, failure)
    )


def _is_iterable(obj: object) -> bool:
    return (hasattr(obj, "__aiter__") or hasattr(obj, "__iter__")) and not isinstance(obj, Deferred)


def _is_js_iterable(obj: object) -> bool:
    """Iterable as JavaScript sees it: a dict is a plain object, not an iterable; a Deferred
    (iterable in Python for ``yield from``) is a Promise."""
    return _is_iterable(obj) and not isinstance(obj, Mapping)


def _start_pump(iterable: Any, writable: Any, finish: Callable[..., None], end: bool) -> None:
    Deferred.fromCoroutine(_pump_to_node(iterable, writable, finish, end))


async def _pump_to_node(
    iterable: Any, writable: Any, finish: Callable[..., None], end: bool
) -> None:
    """Node's ``pumpToNode``: write each item of *iterable* to *writable*, waiting for
    ``'drain'`` when a write returns False, then end it. Any failure (a write that throws,
    a destination that is not writable) goes to *finish*, never out."""
    error: BaseException | None = None
    waiter: list[Deferred[None]] = []

    def resume(err: BaseException | None = None, *_: Any) -> None:
        nonlocal error
        if isinstance(err, BaseException):
            error = err
        if waiter:
            waiter.pop().callback(None)

    async def wait() -> None:
        if error is None:
            waiter.append(Deferred())
            await waiter[-1]
        if error is not None:
            raise error

    cleanups: list[Callable[[], None]] = []
    try:
        if callable(getattr(writable, "on", None)):
            writable.on("drain", resume)
            cleanups.append(lambda: writable.off("drain", resume))
        cleanups.append(_eos(writable, {"readable": False}, resume))
        if getattr(writable, "writableNeedDrain", False):
            await wait()
        if is_node_stream(iterable):  # (a Readable is async iterable too: pump it as one)
            items = stream_chunks(iterable)
        elif hasattr(iterable, "__aiter__"):
            items = iterable
        else:
            items = _async_items(iterable)
        async for chunk in items:
            write = getattr(writable, "write", None)
            if not callable(write):
                raise engine_type_error("writable.write is not a function")
            if not write(chunk):
                await wait()
        if end:
            end_call = getattr(writable, "end", None)
            if not callable(end_call):
                raise engine_type_error("writable.end is not a function")
            end_call()
            await wait()
        finish()
    except Exception as err:
        finish(err if error is None else error)
    finally:
        for cleanup in cleanups:
            cleanup()


def _function_stage(
    stage: Callable[..., Any], index: int, reading: bool, previous: Any, signal: Any
) -> Any:
    """Node's function stages: the source is called with ``{'signal': ...}`` and returns an
    iterable; a later stage is called with the previous stage's output as an async iterable
    (and the same options) and returns an async iterable (an ``async def`` generator)."""
    options = {"signal": signal}
    if index == 0:
        ret = stage(options)
        if not _is_iterable(ret) or isinstance(ret, str | bytes):
            raise make_error(
                "ERR_INVALID_RETURN_VALUE", "Iterable, AsyncIterable or Stream", "source", ret
            )
        return ret
    if _is_transform_pair(previous):
        previous = _pair_member(previous, "readable")
    if is_readable_node_stream(previous):
        source = _chunks(previous)
    elif hasattr(previous, "__aiter__"):
        source = previous
    else:
        source = _async_items(previous)  # a sync iterable, as JavaScript's for await takes it
    ret = stage(source, options)
    if reading and not hasattr(ret, "__aiter__"):
        raise make_error(
            "ERR_INVALID_RETURN_VALUE", "AsyncIterable", f"transform[{index - 1}]", ret
        )
    return ret


async def _async_items(iterable: Any) -> Any:
    for item in iterable:
        yield item


async def _chunks(stream: Any) -> Any:
    """A Readable's chunks as an async iterator (Node's ``readable[Symbol.asyncIterator]``):
    the stream is paused while a chunk waits; leaving early destroys the stream."""
    from twnet._event_iterator import on

    iterator = on(stream, "data", close=["end", "close"], highWaterMark=1)
    try:
        async for (chunk,) in iterator:
            yield chunk
    finally:
        iterator.aclose()
        if not _readable_finished(stream, False) and not getattr(stream, "destroyed", True):
            stream.destroy(abort_error())


def _pipe(
    src: Any,
    dest: Any,
    finish: Callable[..., None],
    finish_only_error: Callable[..., None],
    end: bool,
) -> None:
    ended = False

    def on_dest_close(*_: Any) -> None:
        if not ended:  # the destination closed before the source completed
            finish_only_error(make_error("ERR_STREAM_PREMATURE_CLOSE"))

    dest.on("close", on_dest_close)
    src.pipe(dest, {"end": False})  # the end is ours (below), as in Node
    if end:

        def end_dest() -> None:
            nonlocal ended
            ended = True
            dest.end()

        if _readable_finished(src, False):
            next_tick(end_dest)
        else:
            src.once("end", end_dest)
    else:
        finish()

    def on_src_done(err: BaseException | None = None) -> None:
        r = _states(src)[0]
        if (
            err is not None
            and getattr(err, "code", None) == "ERR_STREAM_PREMATURE_CLOSE"
            and r is not None
            and r.ended
            and r.errored is None
            and not r.errorEmitted
        ):
            # Closed before 'end' with the end already pushed: 'end' still comes.
            src.once("end", finish).once("error", finish)
        else:
            finish(err)

    _eos(src, {"readable": True, "writable": False}, on_src_done)
    _eos(dest, {"readable": False, "writable": True}, finish)
