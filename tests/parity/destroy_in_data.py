"""destroy() from a 'data' listener: no more 'data', no 'end', 'close' false; the peer sees
its connection end."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        def first(d):
            log("s", "data", d)
            c.destroy()
            log("s", "destroyed", c.destroyed, c.readable, c.writable)

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.once("data", first)
        c.on("end", lambda: log("s", "end"))
        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1", lambda: c.write("first"))
        c.on("end", lambda: log("c", "end"))
        c.on("error", lambda err: log("c", "error", err.code))
        c.on("close", lambda had_error: log("c", "close"))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
