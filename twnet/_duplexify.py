"""Node 24's ``Duplex.from(body)`` (``internal/streams/duplexify``): a Duplex made of *body*.

What *body* may be, checked in Node's order:

* a Duplex (anything with ``pipe``, ``write``, ``on`` and a readable state): itself;
* a Readable: a Duplex whose readable side is *body*'s, its writable side closed; a Writable:
  the other way round; any other stream: a Duplex with both sides closed;
* a function: called as ``fn(source, {'signal': signal})``, where *source* is an async
  iterator of what is written to the Duplex. When it returns an iterable (an ``async def``
  generator), that is the readable side; when it returns an awaitable (a coroutine, a
  Deferred: JavaScript's Promise), the Duplex is writable only and finishes when that
  settles (with None: Node's "nully"); destroying the Duplex aborts *signal*;
* an iterable (a ``str`` or ``bytes`` is one chunk): the readable side, as ``Readable.from``;
* a ``{'readable': r, 'writable': w}`` pair (a dict, or an object with those attributes):
  ``r`` and ``w`` are each a stream or something ``Duplex.from`` takes; an error on either
  side destroys the other and the Duplex; destroying the Duplex destroys both;
* an awaitable (Deferred, coroutine): a readable-only Duplex of its one result (none for
  None).

Anything else raises ``ERR_INVALID_ARG_TYPE`` ('The "body" argument ...'). Node's Blob and web
streams have no twnet counterpart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from twnet._abort import AbortController
from twnet._eos import (
    _eos,
    _is_readable,
    _is_writable,
    is_node_stream,
    is_readable_node_stream,
    is_writable_node_stream,
)
from twnet._errors import abort_error, invalid_arg_type, make_error
from twnet._from import as_deferred, from_iterable, is_awaitable, is_js_iterable
from twnet._runtime import dispatch, next_tick, report_uncaught
from twnet._stream_iter import destroyer
from twnet._streams import Completion, Duplex
from twnet._streams.duplex import install_duplex_from
from twnet._validators import js_truthy

__all__ = ["body_error", "duplex_from", "is_duplex_node_stream"]

#: What stands for JavaScript's ``undefined`` in a pair (a key or attribute not given).
_MISSING = object()


def is_duplex_node_stream(obj: object) -> bool:
    """Node's ``isDuplexNodeStream``: ``pipe``, ``on`` and ``write`` and a readable state."""
    return (
        callable(getattr(obj, "pipe", None))
        and getattr(obj, "_readableState", None) is not None
        and callable(getattr(obj, "on", None))
        and callable(getattr(obj, "write", None))
    )


def body_error(value: object, name: str = "body") -> Exception:
    """What Node's ``Duplex.from(value)`` throws for a value it cannot make a stream."""
    return invalid_arg_type(
        name,
        [
            "Blob",
            "ReadableStream",
            "WritableStream",
            "Stream",
            "Iterable",
            "AsyncIterable",
            "Function",
            "{ readable, writable } pair",
            "Promise",
        ],
        value,
    )


def _is_js_object(value: object) -> bool:
    """``typeof value === 'object'`` for a value given in a pair (None given is ``null``)."""
    return value is not _MISSING and not (
        isinstance(value, bool | int | float | str) or callable(value)
    )


def _pair_member(body: object, name: str) -> object:
    if isinstance(body, Mapping):
        return body.get(name, _MISSING)
    return getattr(body, name, _MISSING)


def duplex_from(body: Any, name: str = "body") -> Any:
    """The implementation of :meth:`Duplex.from_ <twnet.stream.Duplex.from_>`."""
    if is_duplex_node_stream(body):
        return body
    if is_readable_node_stream(body):
        return _duplexify(body, None)
    if is_writable_node_stream(body):
        return _duplexify(None, body)
    if is_node_stream(body):
        return _duplexify(False, False)
    if callable(body):
        return _from_function(body, name)
    if is_js_iterable(body):
        return from_iterable(Duplex, body, {"objectMode": True, "writable": False})
    readable, writable = _pair_member(body, "readable"), _pair_member(body, "writable")
    if _is_js_object(readable) or _is_js_object(writable):
        return _duplexify(
            _pair_side(readable, True, f"{name}.readable"),
            _pair_side(writable, False, f"{name}.writable"),
        )
    if is_awaitable(body):
        return _from_awaitable(body)
    raise body_error(body, name)


def _pair_side(value: object, readable: bool, name: str) -> Any:
    if value is _MISSING or not js_truthy(value):
        return None
    if readable and is_readable_node_stream(value):
        return value
    if not readable and is_writable_node_stream(value):
        return value
    # Node names no argument here (an internal assertion fails in Node 24 instead of its
    # ERR_INVALID_ARG_TYPE); twnet names the side (docs/errors.rst)
    return duplex_from(value, name)


def _from_awaitable(body: Any) -> Duplex:
    """A promise: a readable-only Duplex that pushes its value (unless None) and ends."""

    def read(stream: Duplex, size: int) -> None:
        return None

    d = Duplex({"objectMode": True, "writable": False, "read": read})

    def settled(value: Any) -> None:
        if value is not None:
            dispatch(d.push, value)
        dispatch(d.push, None)

    def failed(failure: Failure) -> None:
        dispatch(destroyer, d, failure.value)

    as_deferred(body).addCallbacks(
        lambda value: next_tick(settled, value), lambda failure: next_tick(failed, failure)
    )
    return d


# -- a function: Node's fromAsyncGen ---------------------------------------------------------


class _AsyncGenSource:
    """What a function body reads: an async iterator of the chunks written to the Duplex.

    ``write`` hands a chunk to the iterator (its callback runs on the next tick after the
    iterator took it), ``final`` ends the iterator, ``destroy`` aborts the signal and ends a
    waiting iterator."""

    def __init__(self) -> None:
        self.promise: Deferred[tuple[Any, bool, Callable[[], None]]] | None = Deferred()
        self.resolve: Deferred[tuple[Any, bool, Callable[[], None]]] | None = self.promise
        self.controller = AbortController()

    async def chunks(self) -> Any:
        signal = self.controller.signal
        while True:
            promise, self.promise = self.promise, None
            assert promise is not None
            chunk, done, callback = await promise
            next_tick(callback)
            if done:
                return
            if signal.aborted:
                raise abort_error(signal.reason)
            self.promise = self.resolve = Deferred()
            yield chunk

    def settle(self, chunk: Any, done: bool, callback: Callable[[], None]) -> None:
        resolve, self.resolve = self.resolve, None
        if resolve is None:
            raise make_error("ERR_MULTIPLE_CALLBACK")  # Node: "resolve is not a function"
        # the iterator resumes a little later, as a resolved promise's reaction would
        next_tick(resolve.callback, (chunk, done, callback))

    def write(self, stream: Duplex, chunk: Any, encoding: str | None, cb: Completion) -> None:
        self.settle(chunk, False, cb)

    def final(self, stream: Duplex, cb: Completion) -> None:
        self.settle(None, True, cb)

    def destroy(self, stream: Duplex, error: BaseException | None, cb: Completion) -> None:
        self.controller.abort(error)
        if self.resolve is not None:
            self.settle(None, True, _nothing)
        cb(error)


def _nothing() -> None:
    return None


def _from_function(body: Callable[..., Any], name: str) -> Any:
    source = _AsyncGenSource()
    value = body(source.chunks(), {"signal": source.controller.signal})
    if is_duplex_node_stream(value):
        return value
    # hook options are called with the stream first, as these methods take it
    hooks: dict[str, Callable[..., Any]] = {
        "write": source.write,
        "final": source.final,
        "destroy": source.destroy,
    }
    if is_js_iterable(value) and not isinstance(value, str | bytes):
        return from_iterable(Duplex, value, {"objectMode": True, **hooks})
    if is_awaitable(value):
        return _writable_until_settled(as_deferred(value), source, hooks)
    raise make_error(
        "ERR_INVALID_RETURN_VALUE", "Iterable, AsyncIterable or AsyncFunction", name, value
    )


def _writable_until_settled(
    promise: Deferred[Any], source: _AsyncGenSource, hooks: dict[str, Callable[..., Any]]
) -> Duplex:
    """An async function body: the Duplex is writable only; it finishes once the function's
    awaitable settles (a value other than None is ``ERR_INVALID_RETURN_VALUE``), and fails
    with what it fails with."""
    holder: list[Duplex] = []
    finalized = False
    #: What ``final`` waits for: the awaitable's outcome (Node's promise from ``then``).
    outcome: list[BaseException | None] = []
    waiting: list[Callable[[BaseException | None], None]] = []

    def settle(error: BaseException | None) -> None:
        outcome.append(error)
        while waiting:
            waiting.pop(0)(error)

    def settled(value: Any) -> None:
        if value is not None:
            error = make_error("ERR_INVALID_RETURN_VALUE", "nully", "body", value)
            if not finalized:  # Node: a rejection nobody handles
                report_uncaught(Failure(error))
            settle(error)
            return
        settle(None)
        if not finalized:
            dispatch(destroyer, holder[0], None)

    def failed(failure: Failure) -> None:
        settle(None)
        dispatch(destroyer, holder[0], failure.value)

    def final(stream: Duplex, callback: Completion) -> None:
        nonlocal finalized
        finalized = True

        def after_source_ended() -> None:
            def done(error: BaseException | None) -> None:
                next_tick(callback, error)

            if outcome:
                done(outcome[0])
            else:
                waiting.append(done)

        hooks["final"](stream, after_source_ended)

    d = Duplex(
        {
            "objectMode": True,
            "readable": False,
            "write": hooks["write"],
            "final": final,
            "destroy": hooks["destroy"],
        }
    )
    holder.append(d)
    promise.addCallbacks(
        lambda value: next_tick(settled, value), lambda failure: next_tick(failed, failure)
    )
    return d


# -- a pair: Node's _duplexify ------------------------------------------------------------------


def _duplexify(r: Any, w: Any) -> Duplex:
    """A Duplex over a readable *r* and a writable *w* (None or False: that side closed)."""
    if r and not callable(getattr(r, "read", None)):
        r = _wrap(r)
    readable = bool(_is_readable(r)) if r else False
    writable = bool(_is_writable(w)) if w else False
    return _PairDuplex(r, w, readable, writable)


class _PairDuplex(Duplex):
    """Node's ``_duplexify``: writes go to ``w`` (waiting for its ``'drain'``), ``end()``
    ends it and finishes once it has; what ``r`` gives is pushed (pulled with ``read()`` on
    its ``'readable'``). Either side failing destroys the other, then this Duplex."""

    __slots__ = ()

    def __init__(self, r: Any, w: Any, readable: bool, writable: bool) -> None:
        super().__init__(
            {
                "readableObjectMode": bool(getattr(r, "readableObjectMode", False)),
                "writableObjectMode": bool(getattr(w, "writableObjectMode", False)),
                "readable": readable,
                "writable": writable,
            }
        )
        self._pair_r = r
        self._pair_w = w
        self._pair_readable = readable
        self._pair_writable = writable
        self._ondrain: Completion | None = None
        self._onfinish: Completion | None = None
        self._onreadable: Callable[[], None] | None = None
        #: Node's ``onclose``: None until destroy() waits for the sides; then the callback.
        self._onclose: Completion | bool | None = False
        if writable:
            _eos(w, {}, self._on_writable_done)
            w.on("drain", self._on_drain)
            w.on("finish", self._on_w_finish)
        if readable:
            _eos(r, {}, self._on_readable_done)
            r.on("readable", self._on_r_readable)
            r.on("end", self._on_r_end)

    # the sides

    def _on_writable_done(self, error: BaseException | None = None) -> None:
        self._pair_writable = False
        if error is not None:
            destroyer(self._pair_r, error)
        self._on_finished(error)

    def _on_readable_done(self, error: BaseException | None = None) -> None:
        self._pair_readable = False
        if error is not None:
            destroyer(self._pair_w, error)
        self._on_finished(error)

    def _on_finished(self, error: BaseException | None) -> None:
        callback, self._onclose = self._onclose, None
        if callable(callback):
            callback(error)
        elif error is not None:
            self.destroy(error)

    def _on_drain(self, *_: Any) -> None:
        callback, self._ondrain = self._ondrain, None
        if callback is not None:
            callback()

    def _on_w_finish(self, *_: Any) -> None:
        callback, self._onfinish = self._onfinish, None
        if callback is not None:
            callback()

    def _on_r_readable(self, *_: Any) -> None:
        callback, self._onreadable = self._onreadable, None
        if callback is not None:
            callback()

    def _on_r_end(self, *_: Any) -> None:
        self.push(None)

    # the hooks

    def _write(self, chunk: Any, encoding: str | None, callback: Completion) -> None:
        if not self._pair_w:
            raise make_error("ERR_METHOD_NOT_IMPLEMENTED", "_write()")
        if self._pair_w.write(chunk, encoding):
            callback()
        else:
            self._ondrain = callback

    def _final(self, callback: Completion) -> None:
        self._pair_w.end()
        self._onfinish = callback

    def _read(self, size: int) -> None:
        r = self._pair_r
        if not r:
            raise make_error("ERR_METHOD_NOT_IMPLEMENTED", "_read()")
        while True:
            chunk = r.read()
            if chunk is None:
                self._onreadable = lambda: self._read(size)
                return
            if not self.push(chunk):
                return

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        if error is None and self._onclose is not None:
            error = abort_error()
        self._onreadable = self._ondrain = self._onfinish = None
        if self._onclose is None:
            callback(error)
        else:
            self._onclose = callback
            destroyer(self._pair_w, error)
            destroyer(self._pair_r, error)


def _wrap(stream: Any) -> Any:
    """Node's ``Readable.wrap`` for a readable stream without ``read()``: a Readable fed by
    its ``'data'`` events (paused while the Readable's buffer is full)."""
    from twnet._streams import Readable

    def read(wrapper: Readable, size: int) -> None:
        resume = getattr(stream, "resume", None)
        if callable(resume):
            resume()

    object_mode = bool(getattr(stream, "readableObjectMode", True))
    wrapper = Readable({"objectMode": object_mode, "read": read})

    def on_data(chunk: Any) -> None:
        if not wrapper.push(chunk):
            pause = getattr(stream, "pause", None)
            if callable(pause):
                pause()

    stream.on("data", on_data)
    stream.on("end", lambda *_: wrapper.push(None))
    stream.on("error", lambda error: wrapper.destroy(error))
    stream.on("close", lambda *_: wrapper.destroy())
    return wrapper


install_duplex_from(duplex_from)
