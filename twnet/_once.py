"""Node's ``events.once``: a Deferred for the next time an emitter emits an event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twisted.internet.defer import Deferred

from twnet._awaitable import AwaitableDeferred, failed
from twnet._errors import abort_error, invalid_arg_type
from twnet._naming import options as merge_options
from twnet._validators import validate_abort_signal, validate_object

if TYPE_CHECKING:
    from twnet._events import EventEmitter, EventName
    from twnet._eventtarget import EventTarget

__all__ = ["once"]


def once(
    emitter: EventEmitter | EventTarget,
    name: EventName,
    options: Mapping[str, Any] | None = None,
    /,
    **kwargs: Any,
) -> Deferred[list[Any]]:
    """Node's ``events.once(emitter, name[, options])``: a Deferred that fires with the list
    of the event's arguments, or fails with the error if ``'error'`` is emitted first. Both
    listeners are removed either way, and when the Deferred is cancelled (``cancel()``,
    ``addTimeout``), so a later ``'error'`` is not swallowed.

    ``signal`` (an ``AbortSignal``, in *options* or as a keyword): when it aborts, the
    listeners are removed and the Deferred fails with ``AbortError`` (``cause``: the
    signal's reason); at once when it already has. *emitter* may also be an ``EventTarget``
    (the Deferred then fires with ``[event]``; there is no ``'error'`` to listen to). As
    Node's ``once`` is an ``async`` function, a bad argument fails the Deferred rather than
    raising. Await it from a coroutine: a Twisted one, or an asyncio one on the asyncio
    reactor (it is an ``AwaitableDeferred``, see ``docs/python-native.rst``)."""
    try:
        if options is not None:
            validate_object(options, "options")
        signal = merge_options(options if isinstance(options, dict) else None, **kwargs).get(
            "signal"
        )
        validate_abort_signal(signal, "options.signal")
        if signal is not None and signal.aborted:
            raise abort_error(signal.reason)
        emitter_like = callable(getattr(emitter, "on", None))
        if not emitter_like and not callable(getattr(emitter, "addEventListener", None)):
            raise invalid_arg_type("emitter", "EventEmitter", emitter)
    except Exception as error:
        return failed(error)
    with_error = name != "error" and callable(getattr(emitter, "once", None))
    target: Any = emitter  # as in Node, anything with on/once, or addEventListener

    def remove_all() -> None:
        if emitter_like:
            target.removeListener(name, on_event)
            if with_error:
                target.removeListener("error", on_error)
        else:
            target.removeEventListener(name, on_event)
        if signal is not None:
            signal.removeEventListener("abort", on_abort)

    result: AwaitableDeferred[list[Any]] = AwaitableDeferred(lambda _: remove_all())

    def on_event(*args: Any) -> None:
        remove_all()
        result.callback(list(args))

    def on_error(err: BaseException) -> None:
        remove_all()
        result.errback(err)

    def on_abort(_event: Any) -> None:
        remove_all()
        result.errback(abort_error(getattr(signal, "reason", None)))

    if emitter_like:
        target.once(name, on_event)
    else:
        target.addEventListener(name, on_event, {"once": True})
    if with_error:
        target.once("error", on_error)
    if signal is not None:
        signal.addEventListener("abort", on_abort, {"once": True})
    return result
