"""What keeps the program alive: a ref'd timer does, an unref'd one does not (and still fires
while something else keeps the program going); ref() undoes unref(); an unref'd immediate runs
only while something else keeps the program going; refresh() restarts a timer and re-arms one
that already fired."""

from _parity import log

import twnet as net


def main():
    lonely = net.setTimeout(lambda: log("a", "never: unref'd and alone at the end"), 10000)
    log("a", "hasRef", lonely.hasRef(), lonely.unref() is lonely, lonely.hasRef())

    ticks = 0

    def tick():
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            log("b", "unref'd interval ticks")

    ticker = net.setInterval(tick, 10)
    ticker.unref()

    def end_ticker():
        log("b", "ref'd timer ends; the unref'd interval ticked meanwhile:", ticks >= 1)
        ticker.close()

    net.setTimeout(end_ticker, 100)

    back = net.setTimeout(lambda: log("c", "unref then ref: fires"), 80)
    back.unref()
    back.ref()
    log("c", "hasRef again", back.hasRef())

    net.setTimeout(lambda: log("d", "the 120 ms timer comes first"), 120)

    def last():
        log("d", "refreshed timer, at 150 ms")
        # The last timer: an unref'd immediate set now never runs.
        net.setImmediate(lambda: log("g", "never")).unref()

    refreshed = net.setTimeout(last, 100)
    net.setTimeout(lambda: refreshed.refresh(), 50)

    fired = 0

    def on_again():
        nonlocal fired
        fired += 1
        log("e", "fired", fired)
        if fired == 1:
            net.setTimeout(lambda: again.refresh(), 5)

    again = net.setTimeout(on_again, 5)

    imm = net.setImmediate(
        lambda: log("f", "unref'd immediate runs: timers keep the program going")
    )
    imm.unref()
    log("f", "immediate hasRef", imm.hasRef())

    def at_90():
        net.setImmediate(lambda: log("f", "unref'd immediate runs while the program lives")).unref()
        net.setTimeout(lambda: None, 5)

    net.setTimeout(at_90, 90)


net.run(main)
log("z", "exit")
