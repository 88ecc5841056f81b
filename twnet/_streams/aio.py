"""``async for`` and ``async with`` on streams: the methods, in the Twisted-free core.

What they return to be awaited is Twisted's (an ``AwaitableDeferred``), so the machinery lives
in :mod:`twnet._readable_aio`, which installs itself here when twnet is imported
(:func:`install`, as the runtime installs the tick reporter): the stream package imports no
Twisted. See that module for Node's rules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

from twnet._naming import options as merge_options
from twnet._validators import validate_object

__all__ = ["ReadableAsyncMixin", "WritableAsyncMixin", "install"]


class _Machinery:
    iterate: Callable[[Any, bool], AsyncIterator[Any]]
    ready: Callable[[Any], Awaitable[Any]]
    dispose_readable: Callable[[Any], Awaitable[None]]
    dispose_writable: Callable[[Any], Awaitable[None]]


_machinery = _Machinery()


def install(
    iterate: Callable[[Any, bool], AsyncIterator[Any]],
    ready: Callable[[Any], Awaitable[Any]],
    dispose_readable: Callable[[Any], Awaitable[None]],
    dispose_writable: Callable[[Any], Awaitable[None]],
) -> None:
    """Called by :mod:`twnet._readable_aio`: *iterate(stream, destroy_on_return)* makes an
    async iterator, *ready(value)* an awaitable that has *value*, the *dispose_* functions
    Node's ``Symbol.asyncDispose``."""
    _machinery.iterate = iterate
    _machinery.ready = ready
    _machinery.dispose_readable = dispose_readable
    _machinery.dispose_writable = dispose_writable


class ReadableAsyncMixin:
    """``async for`` and ``async with`` of a Readable (and so of a Duplex and a Socket)."""

    def __aiter__(self) -> AsyncIterator[Any]:
        """``async for chunk in readable`` (Node's ``readable[Symbol.asyncIterator]()``)."""
        return _machinery.iterate(self, True)

    def iterator(
        self, options: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """Node's ``readable.iterator([options])``: ``destroyOnReturn`` (default True):
        False keeps the stream open when the loop is left early."""
        if options is not None:
            validate_object(options, "options")
        opts = merge_options(options if isinstance(options, Mapping) else None, **kwargs)
        return _machinery.iterate(self, opts.get("destroyOnReturn") is not False)

    def __aenter__(self) -> Awaitable[Self]:
        return _machinery.ready(self)

    def __aexit__(self, *exc: object) -> Awaitable[None]:
        """Node's ``readable[Symbol.asyncDispose]()``: a stream not destroyed is destroyed
        (with ``AbortError`` unless its readable side ended); the exit completes when
        ``finished()`` reports, failing with its error unless that is the one it was
        destroyed with."""
        return _machinery.dispose_readable(self)


class WritableAsyncMixin:
    """``async with`` of a Writable."""

    def __aenter__(self) -> Awaitable[Self]:
        return _machinery.ready(self)

    def __aexit__(self, *exc: object) -> Awaitable[None]:
        """Node's ``writable[Symbol.asyncDispose]()``: a stream not destroyed is destroyed
        (with ``AbortError`` unless it finished); the exit completes when ``finished()``
        reports, failing with its error unless that is an ``AbortError``."""
        return _machinery.dispose_writable(self)
