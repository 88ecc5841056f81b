"""``async for`` and ``async with`` on streams: the methods, Twisted-free.

What they return to be awaited is Twisted's (an ``AwaitableDeferred``), so the machinery lives
in :mod:`twnet._readable_aio`, imported when a loop or a block starts: importing the stream
package still imports no Twisted. See that module for Node's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twnet._naming import options as merge_options
from twnet._validators import validate_object

if TYPE_CHECKING:
    from twnet._awaitable import AwaitableDeferred
    from twnet._readable_aio import ReadableIterator

__all__ = ["ReadableAsyncMixin", "WritableAsyncMixin"]


class ReadableAsyncMixin:
    """``async for`` and ``async with`` of a Readable (and so of a Duplex and a Socket)."""

    def __aiter__(self) -> ReadableIterator:
        """``async for chunk in readable`` (Node's ``readable[Symbol.asyncIterator]()``)."""
        from twnet._readable_aio import ReadableIterator

        return ReadableIterator(self)

    def iterator(
        self, options: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> ReadableIterator:
        """Node's ``readable.iterator([options])``: ``destroyOnReturn`` (default True):
        False keeps the stream open when the loop is left early."""
        from twnet._readable_aio import ReadableIterator

        if options is not None:
            validate_object(options, "options")
        opts = merge_options(options if isinstance(options, Mapping) else None, **kwargs)
        return ReadableIterator(self, opts.get("destroyOnReturn") is not False)

    def __aenter__(self) -> AwaitableDeferred[Any]:
        from twnet._awaitable import succeeded

        return succeeded(self)

    def __aexit__(self, *exc: object) -> AwaitableDeferred[None]:
        """Node's ``readable[Symbol.asyncDispose]()``: a stream not destroyed is destroyed
        (with ``AbortError`` unless its readable side ended); the exit completes when
        ``finished()`` reports, failing with its error unless that is the one it was
        destroyed with."""
        from twnet._readable_aio import dispose_readable

        return dispose_readable(self)


class WritableAsyncMixin:
    """``async with`` of a Writable."""

    def __aenter__(self) -> AwaitableDeferred[Any]:
        from twnet._awaitable import succeeded

        return succeeded(self)

    def __aexit__(self, *exc: object) -> AwaitableDeferred[None]:
        """Node's ``writable[Symbol.asyncDispose]()``: a stream not destroyed is destroyed
        (with ``AbortError`` unless it finished); the exit completes when ``finished()``
        reports, failing with its error unless that is an ``AbortError``."""
        from twnet._readable_aio import dispose_writable

        return dispose_writable(self)
