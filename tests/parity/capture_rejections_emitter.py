"""captureRejections on a plain EventEmitter: an async listener that throws before or after
its first await makes the emitter emit 'error' (after the ticks queued meanwhile); the
nodejs.rejection method, when defined, gets the error, the event and its arguments instead;
without captureRejections the rejection is uncaught (not exercised: it ends the process)."""

from _parity import log, set_timeout
from twisted.internet.defer import Deferred

import twnet
from twnet.events import EventEmitter, captureRejectionSymbol


def main():
    e = EventEmitter({"captureRejections": True})
    e.on("error", lambda err: log("a", "error", err))

    async def sync_listener(x):
        log("a", "sync listener", x)
        raise Exception("before await")

    e.on("sync", sync_listener)
    e.emit("sync", 1)
    log("a", "emitted")
    twnet.nextTick(lambda: log("a", "tick after emit"))

    later = EventEmitter({"captureRejections": True})
    later.on("error", lambda err: log("b", "error", err))

    async def late():
        d = Deferred()
        set_timeout(5, d.callback, None)
        await d
        raise Exception("after await")

    later.on("late", late)
    later.emit("late")

    class Custom(EventEmitter):
        pass

    def rejection(self, err, event, *args):
        log("c", "rejection", err, event, *args)

    setattr(Custom, captureRejectionSymbol, rejection)
    custom = Custom({"captureRejections": True})
    custom.on("error", lambda err: log("c", "error emitted", err))

    async def failing():
        raise Exception("to the symbol")

    custom.on("x", failing)
    custom.emit("x", "p", "q")

    plain = EventEmitter({"captureRejections": True})
    plain.on("x", lambda: 5)  # a non-coroutine result is ignored
    log("d", "returned value ignored", plain.emit("x"))


twnet.run(main)
