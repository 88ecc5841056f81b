"""server.close() with an open connection: no longer listening at once, new connections are
refused, 'close' (and the callback) only after the last connection closed."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        log("s", "connection")
        server.close(lambda err=None: log("s", "close callback", err))
        log("s", "closing", server.listening)
        server.getConnections(lambda err, n: log("s", "connections", err, n))

        def on_data(d):
            log("s", "data", d)
            c.end("bye")

        c.on("data", on_data)
        c.on("close", lambda had_error: log("s", "socket close"))

    server = net.createServer(on_connection)
    server.on("close", lambda: log("s", "close event"))

    def on_listening():
        port = server.address()["port"]
        c = net.connect(port, "127.0.0.1")
        c.on("data", lambda d: log("c", "data", d))
        c.on("close", lambda had_error: log("c", "close", had_error))

        def late_connect():
            late = net.connect(port, "127.0.0.1", lambda: log("l", "connect"))

            def on_error(err):
                log("l", "error", err.code)
                c.write("last words")

            late.on("error", on_error)

        c.once("connect", lambda: set_timeout(30, late_connect))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
