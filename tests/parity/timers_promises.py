"""timers/promises: setTimeout and setImmediate resolve with their value, setInterval is an
async iterator that a break clears, the signal option rejects (or ends the loop) with an
AbortError, ref: false does not keep the program alive, bad arguments reject."""

from _parity import log
from twisted.internet.defer import ensureDeferred

import twnet as net
from twnet.timers import promises as tp


async def main():
    log("a", "timeout", await tp.setTimeout(10, "value"))
    log("a", "immediate", await tp.setImmediate("now"))
    n = 0
    async for v in tp.setInterval(5, "tick"):
        n += 1
        log("a", "interval", n, v)
        if n == 3:
            break
    await tp.scheduler.wait(5)
    log("a", "scheduler.wait")

    ac = net.AbortController()
    pending = tp.setTimeout(1000, "never", {"signal": ac.signal})
    ac.abort("stop")
    try:
        await pending
    except net.AbortError as e:
        log("b", "timeout", e.name, e, "cause:", e.cause)
    try:
        await tp.setImmediate(1, {"signal": net.AbortSignal.abort("pre")})
    except net.AbortError as e:
        log("b", "immediate", e.name, "cause:", e.cause)
    ac2 = net.AbortController()
    ticks = 0
    try:
        async for _ in tp.setInterval(5, "i", {"signal": ac2.signal}):
            ticks += 1
            if ticks == 2:
                ac2.abort("enough")
    except net.AbortError as e:
        log("b", "interval", e.name, "cause:", e.cause, "after", ticks)

    for call in (
        lambda: tp.setTimeout("1"),
        lambda: tp.setTimeout(1, None, 5),
        lambda: tp.setImmediate(None, {"ref": 1}),
        lambda: tp.setTimeout(1, None, {"signal": {}}),
    ):
        try:
            await call()
        except TypeError as e:
            log("c", "TypeError", e)
    tp.setTimeout(60000, None, {"ref": False}).addCallback(lambda _: log("d", "never: unref'd"))
    log("d", "done")


net.run(lambda: ensureDeferred(main()))
log("z", "exit")
