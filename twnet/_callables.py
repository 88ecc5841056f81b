"""Calling user code as JavaScript calls functions: forgiving arity and coroutine results.

**Arity.** JavaScript ignores extra arguments and makes missing ones ``undefined``; Python
raises ``TypeError``. twnet calls a listener or callback with the arguments as they are
first: that costs nothing, and it is the whole cost for every callable that takes them. Only
when the call fails to *bind* (a ``TypeError`` raised before the callee's first line ran: the
traceback has no frame below the caller's) is the callable's signature read and the call
made again with the arguments fitted to it (:func:`fit`): extra ones dropped, a required
parameter the event does not supply (keyword-only ones too) given ``None``. A callable whose
signature cannot be read, or whose signature says the arguments fit (so the ``TypeError`` is
its own), gets them all and its error stands. The signature is read once per callable and
cached by the function (a bound method by its ``__func__``, so every ``obj.method`` of a
class shares one entry) in a weak dictionary that keeps nothing alive.

A wrapper that takes ``*args`` (a ``functools.wraps`` decorator) binds any call: it gets every
argument, as a callable that takes ``*args`` does.

**Coroutine results.** A listener or callback that returns a coroutine (an ``async def``
called) or a Deferred is run at once and never dropped: :func:`settle` hands the result to
the runtime (which knows Twisted; this module does not), which routes a failure to the
emitter's ``captureRejections`` handling or to the uncaught-exception policy. Any other
return value is ignored, as Node ignores a listener's non-promise result.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any

__all__ = ["Shape", "adapt", "call", "exact", "fit", "invoke", "refit", "settle", "shape"]

#: ``(required, most, keywords)``: how many positional arguments the callable needs, how many
#: it takes (``None``: any number, it has ``*args``), and its required keyword-only names.
Shape = tuple[int, int | None, tuple[str, ...]]

# function (or other callable) -> its shape, or None when its signature cannot be read.
_shapes: weakref.WeakKeyDictionary[Any, Shape | None] = weakref.WeakKeyDictionary()
_EMPTY = inspect.Parameter.empty
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _read(fn: Any, bound: bool) -> Shape | None:
    """The shape of *fn* (without its first parameter when *bound*), or ``None``."""
    try:
        parameters = inspect.signature(fn, follow_wrapped=False).parameters.values()
    except (TypeError, ValueError):  # a builtin type, a C callable without a text signature
        return None
    required = 0
    most: int | None = 0
    keywords: list[str] = []
    skip = bound
    for parameter in parameters:
        kind = parameter.kind
        if kind in _POSITIONAL:
            if skip:
                skip = False
                continue
            if parameter.default is _EMPTY:
                required += 1
            if most is not None:
                most += 1
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            skip = False
            most = None
        elif kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is _EMPTY:
            keywords.append(parameter.name)
    if skip:  # a method whose function takes no argument for its object: leave it be
        return None
    return required, most, tuple(keywords)


def shape(fn: Any) -> Shape | None:
    """What *fn* accepts (:data:`Shape`), or ``None`` when its signature cannot be read: read
    once and cached by the function (a bound method by its ``__func__``)."""
    bound = type(fn) is MethodType and type(fn.__func__) is FunctionType
    key = fn.__func__ if bound else fn
    try:
        cached = _shapes[key]
    except KeyError:
        pass
    except TypeError:  # unhashable, or no weak reference possible: read it each time
        return _read(key, bound)
    else:
        return cached
    found = _read(key, bound)
    try:
        _shapes[key] = found
    except TypeError:
        pass
    return found


def fit(fn_shape: Shape, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """*args* fitted to *fn_shape* (and the keyword arguments it requires, all ``None``), or
    ``None`` when they already fit."""
    required, most, keywords = fn_shape
    count = len(args)
    if most is not None and count > most:
        fitted = args[:most]
    elif count < required:
        fitted = args + (None,) * (required - count)
    else:
        fitted = args
    if fitted is args and not keywords:
        return None
    return fitted, dict.fromkeys(keywords)


def refit(
    fn: Any, args: tuple[Any, ...], error: BaseException
) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """Called where ``fn(*args)`` raised *error*, in the frame that made the call: the
    arguments to call *fn* with again, when *error* is a ``TypeError`` from binding them
    (nothing of *fn* ran) that fitting them to *fn*'s signature avoids; otherwise ``None``
    (*error* is the callable's own)."""
    if type(error) is not TypeError:
        return None
    trace = error.__traceback__
    if trace is None or trace.tb_next is not None:
        return None  # raised inside the callable
    fn_shape = shape(fn)
    if fn_shape is None:
        return None
    return fit(fn_shape, args)


def invoke(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """``fn(*args)`` with forgiving arity (see the module's docstring); returns its result."""
    try:
        return fn(*args)
    except TypeError as error:
        fitted = refit(fn, args, error)
        if fitted is None:
            raise
    # Outside the ``except``: an exception of the second call is not chained to the first.
    return fn(*fitted[0], **fitted[1])


#: Installed by the runtime (``twnet._runtime``): ``hook(result, emitter, name, args)`` runs
#: a coroutine or watches a Deferred that a listener of *emitter*'s *name* returned (*emitter*
#: ``None``: a callback, or an emitter without ``captureRejections``), and routes its
#: failure; it ignores any other value.
settle_hook: Callable[[Any, Any, Any, tuple[Any, ...]], None] | None = None


def settle(result: Any, emitter: Any = None, name: Any = None, args: tuple[Any, ...] = ()) -> None:
    """Run *result* when it is a coroutine, watch it when it is a Deferred; ignore it
    otherwise. A failure goes to *emitter*'s rejection handling (Node's ``captureRejections``)
    when *emitter* is given, else to the uncaught-exception policy."""
    hook = settle_hook
    if hook is not None:
        hook(result, emitter, name, args)
    elif inspect.iscoroutine(result):  # no runtime: never drop it silently
        result.close()
        raise RuntimeError("twnet: a coroutine listener needs twnet's runtime (import twnet)")


def call(fn: Callable[..., Any], *args: Any) -> None:
    """Call a user's callback (not a listener) with forgiving arity; a coroutine or Deferred
    it returns is run and its failure reported as uncaught, as Node reports a promise a
    callback returned that rejects. An exception raised at once propagates."""
    result = invoke(fn, args)
    if result is not None:
        settle(result)


class _Adapted:
    """*fn* called with forgiving arity, its coroutine or Deferred run (see :func:`adapt`)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, *args: Any) -> None:
        call(self.fn, *args)

    def __repr__(self) -> str:
        return f"<forgiving {self.fn!r}>"


def adapt(fn: Callable[..., Any], count: int) -> Callable[..., Any]:
    """*fn*, for a caller that always passes *count* positional arguments (a stream hook
    given as an option): *fn* itself when it takes them as they are, else a wrapper that
    fits them (:func:`invoke`) and runs a coroutine or Deferred it returns (:func:`call`).
    An ``async def`` is always wrapped, so its coroutine is never dropped."""
    if not inspect.iscoroutinefunction(fn):
        fn_shape = shape(fn)
        if fn_shape is None or fit(fn_shape, (None,) * count) is None:
            return fn
    return _Adapted(fn)


def exact(fn: Callable[..., Any], *args: Any) -> None:
    """``fn(*args)`` with exactly the arguments given (timers and ``nextTick`` pass what the
    user gave them, as Node does: no fitting), but a coroutine or Deferred it returns is run,
    its failure reported as uncaught. An exception raised at once propagates."""
    result = fn(*args)
    if result is not None:
        settle(result)
