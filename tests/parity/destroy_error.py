"""destroy(err) on an open socket: 'error' with that error, then 'close' with true;
destroyed/errored flags; destroy() again is harmless."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        c.on("end", lambda: log("s", "end"))

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            c.destroy(Exception("boom"))
            log("c", "destroyed", c.destroyed, c.errored and str(c.errored))
            c.destroy()

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("error", lambda err: log("c", "error", err))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
