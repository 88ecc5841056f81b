"""Node's ``stream/promises``: ``pipeline`` and ``finished`` as awaitables.

Each returns a Twisted ``Deferred``: ``await`` it in a Twisted coroutine
(``Deferred.fromCoroutine``, ``ensureDeferred``, ``pytest_twisted.ensureDeferred``) or add
callbacks. It fires with None once done, or fails with the error the callback form would
pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from twisted.internet.defer import Deferred, fail

from twnet._eos import _eos
from twnet._errors import NodeError, invalid_arg_type
from twnet._pipeline import pipeline_impl
from twnet._validators import js_truthy, validate_object

__all__ = ["finished", "pipeline"]


def _settle(result: Deferred[Any]) -> Any:
    def callback(error: BaseException | None = None, value: Any = None) -> None:
        if error is not None:
            result.errback(error)
        else:
            result.callback(value)

    return callback


def pipeline(*streams: Any, end: bool = True, signal: Any = None) -> Deferred[Any]:
    """Node's ``stream.promises.pipeline(source, ...transforms, destination[, options])``:
    the callback form's behaviour, as a Deferred (firing with None, or with the value of a
    last function stage's awaitable). Options (a last dict, or keywords):
    ``end=False`` leaves the destination open when the source ends; ``signal`` (an
    AbortSignal) destroys every stream with an ``AbortError`` when it aborts."""
    items = list(streams)
    if items and isinstance(items[-1], Mapping):
        options = items.pop()
        end = options.get("end", end) is not False
        signal = options.get("signal", signal)
    result: Deferred[Any] = Deferred()
    try:
        pipeline_impl(items, _settle(result), end=end, signal=signal)
    except NodeError as error:  # Node's pipeline is an async function: it rejects
        return fail(error)
    return result


def finished(
    stream: Any, options: Mapping[str, Any] | None = None, /, **kwargs: Any
) -> Deferred[None]:
    """Node's ``stream.promises.finished(stream[, options])``: fires once the stream is done
    (see :func:`twnet.stream.finished`). With ``cleanup=True`` the listeners it added are
    removed when it settles."""
    opts = {**(options if isinstance(options, Mapping) else {}), **kwargs}
    cleanup_after = opts.pop("cleanup", False)
    if js_truthy(cleanup_after) and not isinstance(cleanup_after, bool):
        # checked before the promise is made, as Node does: this one raises
        raise invalid_arg_type("cleanup", "boolean", cleanup_after)
    cleanup_after = cleanup_after is True
    if options is not None:
        # what eos() checks runs inside the promise: a rejection (Node's validateObject: a
        # Buffer or any other object passes; one that is not a mapping has no options)
        try:
            validate_object(options, "options")
        except NodeError as error:
            return fail(error)
    result: Deferred[None] = Deferred()
    settle = _settle(result)
    cleanup: list[Any] = []

    def done(error: BaseException | None = None) -> None:
        if cleanup_after and cleanup:
            cleanup[0]()
        settle(error)

    try:
        cleanup.append(_eos(stream, opts, done))
    except NodeError as error:
        return fail(error)
    return result
