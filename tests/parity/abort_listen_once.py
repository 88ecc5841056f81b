"""The signal option of server.listen (aborting closes the server; an aborted signal closes it
before it ever listens) and of events.once (the promise rejects with an AbortError whose cause
is the reason, and both of once's listeners are removed); bad signals refused."""

from _parity import log

import twnet as net


def main():
    ac = net.AbortController()
    s1 = net.createServer()

    def on_listening():
        log("a", "listening")
        ac.abort()
        log("a", "listening after abort", s1.listening)

    s1.on("listening", on_listening)
    s1.on("close", lambda: log("a", "close"))
    s1.listen({"port": 0, "host": "127.0.0.1", "signal": ac.signal})

    s2 = net.createServer()
    s2.on("listening", lambda: log("b", "never: listening"))
    s2.on("close", lambda: log("b", "close"))
    s2.on("error", lambda e: log("b", "error", e))
    s2.listen({"port": 0, "host": "127.0.0.1", "signal": net.AbortSignal.abort()})
    log("b", "listening at once", s2.listening)

    try:
        net.createServer().listen({"port": 0, "signal": "nope"})
    except TypeError as e:
        log("c", "TypeError", e)

    s3 = net.createServer()
    ac3 = net.AbortController()

    def closed(*_):
        log("c", "closed first; abort later does nothing", s3.listening)
        ac3.abort()

    s3.listen({"port": 0, "host": "127.0.0.1", "signal": ac3.signal}, lambda: s3.close(closed))

    emitter = net.EventEmitter()
    ac4 = net.AbortController()

    def rejected(f):
        e = f.value
        counts = (emitter.listenerCount("ping"), emitter.listenerCount("error"))
        log("d", "rejected", e.name, e, "cause:", e.cause, "listeners", *counts)

    net.once(emitter, "ping", {"signal": ac4.signal}).addCallbacks(
        lambda args: log("d", "never", args), rejected
    )
    log(
        "d",
        "listeners while waiting",
        emitter.listenerCount("ping"),
        emitter.listenerCount("error"),
    )
    ac4.abort("stop")
    emitter.emit("ping", 1)

    def rejected_early(f):
        e = f.value
        log("e", "rejected", e, "cause:", e.cause, "listeners", emitter.listenerCount("ping"))

    net.once(emitter, "ping", signal=net.AbortSignal.abort("early")).addCallbacks(
        lambda _: log("e", "never"), rejected_early
    )

    ac5 = net.AbortController()

    def resolved(args):
        log("f", "resolved", ",".join(args))
        ac5.abort()
        log("f", "abort after resolve: nothing")

    net.once(emitter, "pong", {"signal": ac5.signal}).addCallback(resolved)
    emitter.emit("pong", "a", "b")

    net.once(emitter, "x", {"signal": 5}).addErrback(
        lambda f: log("g", "rejected", "TypeError", f.value)
    )
    net.once(emitter, "x", 5).addErrback(lambda f: log("g", "rejected", "TypeError", f.value))

    target = net.EventTarget()
    net.once(target, "hello").addCallback(lambda args: log("h", "EventTarget", args[0].type))
    target.dispatchEvent(net.Event("hello"))


net.run(main)
