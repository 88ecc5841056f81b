"""Node's event-loop order: nextTick before timers and between them, equal timeouts in the
order set, setImmediate before any timer when set from an I/O callback or a timer, an
immediate set by an immediate in the next batch, and setInterval until cleared."""

from _parity import log

import twnet as net

n = 0


def step(what):
    global n
    n += 1
    log("a", n, what)


def main():
    net.setTimeout(lambda: step("t20"), 20)
    net.setTimeout(lambda: step("t50 first"), 50)

    def second():
        step("t50 second")
        net.nextTick(lambda: step("tick between timers"))

    net.setTimeout(second, 50)
    net.setTimeout(lambda: step("t50 third"), 50)
    net.nextTick(lambda: step("tick from main"))
    step("main")

    # From a timer: immediates run before a 0 ms timeout set alongside them (whether the
    # timeout or an immediate set by an immediate comes first depends on the clock: b2/b3).
    def timer():
        log("b", "timer")
        net.setTimeout(lambda: log("b2", "timeout 0 from timer"), 0)

        def immediate():
            log("b", "immediate from timer")
            net.setImmediate(lambda: log("b3", "immediate from immediate"))
            net.nextTick(lambda: log("b", "tick from immediate"))

        net.setImmediate(immediate)
        net.setImmediate(lambda: log("b", "second immediate from timer"))

    net.setTimeout(timer, 20)

    # From an I/O callback: the same.
    server = net.createServer(lambda c: c.end("x"))

    def on_listening():
        sock = net.connect(server.address().port, "127.0.0.1")

        def on_data(_data):
            log("c", "data")
            net.setTimeout(lambda: log("c", "timeout 0 from I/O"), 0)
            net.setImmediate(lambda: log("c", "immediate from I/O"))
            net.nextTick(lambda: log("c", "tick from I/O"))

        sock.on("data", on_data)
        sock.on("close", lambda *_: server.close(lambda *_: log("c2", "server closed")))

    server.listen(0, "127.0.0.1", on_listening)

    # setInterval with arguments, cleared from its own callback on the third call.
    count = 0

    def tick(x, y):
        nonlocal count
        count += 1
        log("d", "interval", count, x, y)
        if count == 3:
            net.clearInterval(interval)

    interval = net.setInterval(tick, 10, "x", "y")

    # clearTimeout before it fires, and from an earlier timer of the same pass.
    never = net.setTimeout(lambda: log("e", "never"), 1)
    net.clearTimeout(never)

    def clears():
        log("e", "clears the other")
        net.clearTimeout(later)

    net.setTimeout(clears, 30)
    later = net.setTimeout(lambda: log("e", "never either"), 30)
    log("e", "cleared before", "function", never.hasRef())


net.run(main)
