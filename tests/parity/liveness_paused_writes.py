"""Liveness: a paused socket (paused before it connects, so it reads nothing) still holds the
process while its writes are pending: 4 MiB written at once complete (the callback runs,
'finish' comes after end()) before the process exits."""

from _parity import log

import twnet as net


def main():
    # The peer reads everything.
    server = net.createServer(lambda s: s.unref().resume())

    def on_listening():
        server.unref()
        c = net.connect(server.address()["port"], "127.0.0.1")
        c.pause()
        ok = c.write(b"a" * (4 * 1024 * 1024), lambda *_: log("c", "write done"))
        log("c", "write returned", ok)
        c.end()
        c.on("finish", lambda: log("c", "finish", c.bytesWritten))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
