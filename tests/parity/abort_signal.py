"""AbortController and AbortSignal as an EventTarget: listener order (onabort keeps its place,
once, a listener added during the dispatch runs), the default reasons (AbortError,
TimeoutError), AbortSignal.any following the first source to abort, AbortSignal.timeout firing
while the program lives but not keeping it alive, and the argument errors."""

from _parity import log

import twnet as net
from twnet import AbortController, AbortSignal


def main():
    ac = AbortController()
    s = ac.signal

    def first(e):
        log("a", "first", e.type, e.isTrusted, e.target is s)
        s.addEventListener("abort", lambda _: log("a", "added during the dispatch"))

    s.addEventListener("abort", first)
    s.onabort = lambda _: log("a", "onabort (replaced)")
    s.addEventListener("abort", lambda _: log("a", "once"), {"once": True})
    s.onabort = lambda _: log("a", "onabort")
    log("a", "aborted", s.aborted, s.reason)
    ac.abort()
    ac.abort("again")
    log("a", "aborted", s.aborted, s.reason.name, s.reason.code, s.reason.message)
    try:
        s.throwIfAborted()
    except net.DOMException as e:
        log("a", "throwIfAborted", e.name, e.message)

    x1 = AbortController()
    x2 = AbortController()
    any_ = AbortSignal.any([x1.signal, x2.signal])
    any_of_any = AbortSignal.any([any_])
    any_.onabort = lambda _: log("b", "any aborted", any_.reason)
    any_of_any.onabort = lambda _: log("b", "any of any aborted", any_of_any.reason)
    x2.signal.onabort = lambda _: log("b", "x2 aborted first")
    x2.abort("reason 2")
    x1.abort("reason 1")
    log("b", "already aborted source", AbortSignal.any([AbortSignal.abort("pre")]).reason)
    log("b", "empty", AbortSignal.any([]).aborted)

    t = AbortSignal.timeout(20)
    t.addEventListener(
        "abort", lambda _: log("c", "timeout", t.reason.name, t.reason.code, t.reason.message)
    )
    net.setTimeout(lambda: log("c", "the 40 ms timer keeps the program alive"), 40)
    AbortSignal.timeout(60000).onabort = lambda _: log("c", "never: unref'd")

    for make in (
        lambda: AbortSignal(),
        lambda: AbortSignal.timeout(-1),
        lambda: AbortSignal.timeout(1.5),
        lambda: AbortSignal.timeout("1"),
        lambda: AbortSignal.any([1]),
        lambda: AbortSignal.any(5),
    ):
        try:
            make()
        except net.NodeError as e:
            log("d", "TypeError" if isinstance(e, TypeError) else "RangeError", e)


net.run(main)
log("z", "exit")
