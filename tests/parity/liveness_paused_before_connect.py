"""Liveness: a socket paused before it connects reads nothing, so once connected (with nothing
to write) it does not hold the process; the unref'd server and its unref'd accepted socket
do not either: the process exits right after 'connect' (the unref'd timer never fires)."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda s: s.unref())

    def on_listening():
        server.unref()
        c = net.connect(server.address()["port"], "127.0.0.1")
        c.pause()
        c.on("connect", lambda: log("c", "connect", c.isPaused()))
        net.setTimeout(lambda: log("c", "still alive"), 3000).unref()

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
