"""events.on: events emitted before and between iterations are buffered, 'error' ends the
loop (after the buffered events), close events end it, return() removes the listeners, an
AbortSignal aborts it; getEventListeners, setMaxListeners, addAbortListener."""

import json

from _parity import log, set_timeout
from twisted.internet.defer import Deferred

import twnet as net
from twnet import AbortController, AbortSignal, EventEmitter, events
from twnet.events import addAbortListener, getEventListeners, on, setMaxListeners


def js(value):
    return json.dumps(value, separators=(",", ":"))


async def iterating():
    ee = EventEmitter()
    it = on(ee, "foo")
    ee.emit("foo", 1, "a")
    ee.emit("foo", 2)
    log("a", "listeners while iterating", ee.listenerCount("foo"), ee.listenerCount("error"))
    n = 0

    def later():
        ee.emit("foo", 3)
        ee.emit("foo", 4)
        ee.emit("error", Exception("kaboom"))

    async for args in it:
        log("a", "got", js(args))
        n += 1
        if n == 2:
            set_timeout(1, later)
        if n == 4:
            log("a", "waiting for the error")


async def closing():
    ee = EventEmitter()

    def ticks():
        ee.emit("tick", "x")
        ee.emit("done")
        ee.emit("tick", "late")

    set_timeout(1, ticks)
    async for (value,) in on(ee, "tick", close=["done"]):
        log("b", "tick", value)
    log("b", "ended by close", ee.listenerCount("tick"), ee.listenerCount("done"))

    ee2 = EventEmitter()
    it = on(ee2, "x")
    ee2.emit("x", "only")
    first = await it.__anext__()
    log("c", "first", js(first), False)
    await it.aclose()
    log("c", "return", ee2.listenerCount("x"), ee2.listenerCount("error"))
    try:
        await it.__anext__()
        done = False
    except StopAsyncIteration:
        done = True
    log("c", "after return", done)

    ac = AbortController()
    ee3 = EventEmitter()
    set_timeout(1, ac.abort, "why")
    try:
        async for args in on(ee3, "x", signal=ac.signal):
            log("d", "never", args)
    except Exception as err:
        log("d", "aborted", err.name, err.code, err.cause, ee3.listenerCount("x"))
    try:
        on(ee3, "x", {"signal": AbortSignal.abort()})
    except Exception as err:
        log("d", "already aborted", err.name)
    for bad in [{"highWaterMark": 0}, {"lowWaterMark": "x"}, {"signal": "nope"}]:
        try:
            on(ee3, "x", bad)
        except Exception as err:
            log("d", "bad", err)


def inspecting():
    ee = EventEmitter()

    def f(*_):
        pass

    def g():
        pass

    ee.on("x", f)
    ee.once("x", g)
    log(
        "e",
        "getEventListeners",
        len(getEventListeners(ee, "x")),
        getEventListeners(ee, "x")[1] is g,
    )
    ac = AbortController()
    ac.signal.addEventListener("abort", f)
    target = getEventListeners(ac.signal, "abort")
    log("e", "target listeners", len(target), target[0] is f)
    setMaxListeners(1, ee)
    log("e", "max", ee.getMaxListeners(), events.defaultMaxListeners)
    try:
        setMaxListeners(-1, ee)
    except Exception as err:
        log("e", "bad max", err)
    try:
        setMaxListeners(1, {})
    except Exception as err:
        log("e", "bad target", err)
    addAbortListener(ac.signal, lambda: log("e", "abort listener"))
    other = addAbortListener(ac.signal, lambda: log("e", "never: disposed"))
    other.dispose()
    ac.abort()
    addAbortListener(ac.signal, lambda: log("e", "already aborted: later"))
    log("e", "after abort")
    try:
        addAbortListener(None, f)
    except Exception as err:
        log("e", "bad signal", err)
    try:
        addAbortListener(ac.signal, "x")
    except Exception as err:
        log("e", "bad listener", err)


async def program():
    try:
        await iterating()
    except Exception as err:
        log("a", "loop ended with", str(err))
    await closing()


def main():
    inspecting()
    Deferred.fromCoroutine(program())


net.run(main)
