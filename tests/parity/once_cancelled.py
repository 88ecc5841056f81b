"""events.once() given up (its Deferred cancelled, here by addTimeout / cancel()): both of its
listeners are removed, so a later 'error' is not swallowed (an emitter without listeners
raises it; a socket's reaches its own listener)."""

from _parity import log, mask
from twisted.internet import reactor

import twnet as net


def main():
    e = net.EventEmitter()

    def given_up(failure):
        log("e", "given up", e.listenerCount("ready"), e.listenerCount("error"))
        try:
            e.emit("error", Exception("boom"))
            log("e", "swallowed")
        except Exception as err:
            log("e", "thrown", str(err))

    d = net.once(e, "ready")
    d.addCallbacks(lambda args: log("e", "resolved"), given_up)
    d.addTimeout(0.01, reactor)
    log("e", "waiting", e.listenerCount("ready"), e.listenerCount("error"))

    probe = net.createServer()

    def on_listening():
        port = probe.address()["port"]
        mask(port, "PORT")

        def closed(err=None):
            c = net.connect(port, "127.0.0.1")
            d = net.once(c, "connect")
            d.addErrback(lambda failure: log("d", "given up"))
            d.cancel()
            log("c", "listeners", c.listenerCount("connect"), c.listenerCount("error"))
            c.on("error", lambda err: log("c", "error", err))
            c.on("close", lambda had_error: log("c", "close", had_error))

        probe.close(closed)

    probe.listen(0, "127.0.0.1", on_listening)


net.run(main)
