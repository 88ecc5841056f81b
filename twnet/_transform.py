"""Node's ``stream.Transform``, ``stream.PassThrough`` and ``stream.duplexPair()``.

A Transform is a Duplex whose writable side feeds its readable side through
``_transform(chunk, encoding, callback)``: each written chunk is transformed, the result pushed,
and the write completes (``callback``) only while the readable buffer is below its high-water
mark — otherwise it waits for the consumer's next ``_read``, so back-pressure runs from the
reader to the writer. ``end()`` calls ``_flush(callback)`` before the readable side ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from twnet._errors import make_error
from twnet._naming import options as _camel_options
from twnet._streams import Completion, Duplex
from twnet._streams.hooks import apply_hooks
from twnet._streams.state import _as_options, _high_water_mark
from twnet._ticks import next_tick

__all__ = ["DuplexSide", "PassThrough", "Transform", "TransformCallback", "duplexPair"]

TransformCallback = Callable[..., None]
"""The callback of ``_transform`` and ``_flush``: ``callback(err=None, data=None)``; *data*,
when not None, is pushed."""


class Transform(Duplex):
    """Node's ``stream.Transform``. Subclass it and define ``_transform(chunk, encoding,
    callback)`` (and optionally ``_flush(callback)``), or pass ``transform=`` / ``flush=``
    functions (bound to the stream: ``fn(stream, chunk, encoding, callback)``).

    ``callback(err)`` destroys the stream with *err*; ``callback(None, data)`` pushes *data*
    (as ``self.push(data)`` would) and asks for the next chunk.
    """

    __slots__ = ()

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        opts = _camel_options(_as_options(options), **kwargs)
        if "readableHighWaterMark" in opts or "highWaterMark" in opts:
            readable_hwm = _high_water_mark(opts, "readableHighWaterMark", True)
            if readable_hwm == 0:
                # Node buffers only on the readable side then: the writable side gets 0 too.
                opts = {key: value for key, value in opts.items() if key != "highWaterMark"}
                opts["readableHighWaterMark"] = 0
                opts["writableHighWaterMark"] = opts.get("writableHighWaterMark") or 0
        Duplex.__init__(self, opts)
        # _read is ours and ready: push() need not wait for the first _read to return.
        self._readableState.sync = False
        self._waiting: Completion | None = None
        apply_hooks(self, opts, ("transform", "flush"))
        self.on("prefinish", self._on_prefinish)

    def _transform(self, chunk: Any, encoding: str | None, callback: TransformCallback) -> None:
        """Hook: transform *chunk*, then ``callback(None, result)`` (or push results with
        ``self.push()`` and call ``callback()``), or ``callback(err)``."""
        raise make_error("ERR_METHOD_NOT_IMPLEMENTED", "_transform()")

    def _write(self, chunk: Any, encoding: str | None, callback: Completion) -> None:
        r, w = self._readableState, self._writableState
        length = r.length

        def transformed(error: BaseException | None = None, data: Any = None) -> None:
            if error is not None:
                callback(error)
                return
            if data is not None:
                self.push(data)
            if r.ended:
                # push(None) inside _transform: the new state shows on the next tick.
                next_tick(callback)
            elif w.ended or length == r.length or r.length < r.highWaterMark:
                callback()
            else:
                self._waiting = callback  # the reader's next _read asks for more

        self._transform(chunk, encoding, transformed)

    def _read(self, size: int) -> None:
        callback = self._waiting
        if callback is not None:
            self._waiting = None
            callback()

    def _final(self, callback: Completion | None = None) -> None:
        """Run ``_flush`` (when defined and not destroyed), push its data, then end the
        readable side."""
        flush: Callable[[TransformCallback], None] | None = getattr(self, "_flush", None)
        if flush is not None and not self.destroyed:

            def flushed(error: BaseException | None = None, data: Any = None) -> None:
                if error is not None:
                    if callback is not None:
                        callback(error)
                    else:
                        self.destroy(error)
                    return
                if data is not None:
                    self.push(data)
                self.push(None)
                if callback is not None:
                    callback()

            flush(flushed)
        else:
            self.push(None)
            if callback is not None:
                callback()

    def _on_prefinish(self) -> None:
        # A subclass (or a final= option) that replaced _final still gets the flush, as in
        # Node (old Transforms implemented _final instead of _flush).
        if getattr(self._final, "__func__", None) is not Transform._final:
            Transform._final(self)


class PassThrough(Transform):
    """Node's ``stream.PassThrough``: a Transform that passes every chunk on unchanged."""

    __slots__ = ()

    def _transform(self, chunk: Any, encoding: str | None, callback: TransformCallback) -> None:
        callback(None, chunk)


class DuplexSide(Duplex):
    """One end of :func:`duplexPair`: what is written to it is read from the other end."""

    __slots__ = ()

    def __init__(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self._waiting: Completion | None = None
        self._other: DuplexSide | None = None

    def _read(self, size: int) -> None:
        callback = self._waiting
        if callback is not None:
            self._waiting = None
            callback()

    def _write(self, chunk: Any, encoding: str | None, callback: Completion) -> None:
        other = self._other
        assert other is not None and other._waiting is None
        if hasattr(chunk, "__len__") and len(chunk) == 0:
            next_tick(callback)
        else:
            other.push(chunk)
            other._waiting = callback  # completes when the other end reads on

    def _final(self, callback: Completion) -> None:
        other = self._other
        assert other is not None
        other.on("end", callback)
        other.push(None)

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        other = self._other
        if other is not None and not other.destroyed:

            def close_other() -> None:
                if other.destroyed:
                    return
                if error is not None:
                    other.destroy()  # without the error: the other end just closes
                else:
                    other.push(None)

            next_tick(close_other)
        callback(error)


def duplexPair(
    options: Mapping[str, Any] | None = None, /, **kwargs: Any
) -> tuple[DuplexSide, DuplexSide]:
    """Node's ``stream.duplexPair([options])``: two Duplex streams joined back to back, what
    one writes the other reads (an in-memory socket pair). Node returns an array; this is a
    tuple, so ``a, b = duplexPair()`` unpacks the same way."""
    side0 = DuplexSide(options, **kwargs)
    side1 = DuplexSide(options, **kwargs)
    side0._other = side1
    side1._other = side0
    return side0, side1
