"""Node's ``stream/promises``: ``pipeline`` and ``finished`` as awaitables.

Each returns a Twisted ``Deferred``: ``await`` it in a Twisted coroutine
(``Deferred.fromCoroutine``, ``ensureDeferred``, ``pytest_twisted.ensureDeferred``) or add
callbacks. It fires with None once done, or fails with the error the callback form would
pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from twisted.internet.defer import Deferred

from twnet._errors import invalid_arg_type
from twnet._pipeline import _eos, pipeline_impl

__all__ = ["finished", "pipeline"]


def _settle(result: Deferred[None]) -> Any:
    def callback(error: BaseException | None = None) -> None:
        if error is not None:
            result.errback(error)
        else:
            result.callback(None)

    return callback


def pipeline(*streams: Any, end: bool = True, signal: Any = None) -> Deferred[None]:
    """Node's ``stream.promises.pipeline(source, ...transforms, destination[, options])``:
    the callback form's behaviour, as a Deferred. Options (a last dict, or keywords):
    ``end=False`` leaves the destination open when the source ends; ``signal`` (an
    AbortSignal) destroys every stream with an ``AbortError`` when it aborts."""
    items = list(streams)
    if items and isinstance(items[-1], Mapping):
        options = items.pop()
        end = options.get("end", end) is not False
        signal = options.get("signal", signal)
    result: Deferred[None] = Deferred()
    pipeline_impl(items, _settle(result), end=end, signal=signal)
    return result


def finished(
    stream: Any, options: Mapping[str, Any] | None = None, /, **kwargs: Any
) -> Deferred[None]:
    """Node's ``stream.promises.finished(stream[, options])``: fires once the stream is done
    (see :func:`twnet.stream.finished`). With ``cleanup=True`` the listeners it added are
    removed when it settles."""
    if options is not None and not isinstance(options, Mapping):
        raise invalid_arg_type("options", "Object", options)
    opts = {**(options or {}), **kwargs}
    cleanup_after = opts.pop("cleanup", False)
    if not isinstance(cleanup_after, bool):
        raise invalid_arg_type("cleanup", "boolean", cleanup_after)
    result: Deferred[None] = Deferred()
    settle = _settle(result)
    cleanup: list[Any] = []

    def done(error: BaseException | None = None) -> None:
        if cleanup_after and cleanup:
            cleanup[0]()
        settle(error)

    cleanup.append(_eos(stream, opts, done))
    return result
