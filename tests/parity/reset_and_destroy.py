"""resetAndDestroy(): the socket closes (no error on its side) and the peer gets ECONNRESET."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("data", lambda d: log("s", "data", d))
        c.on("end", lambda: log("s", "end"))
        c.on("error", lambda err: log("s", "error", err.code, err.syscall))
        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            c.write(
                "bye",
                lambda err=None: set_timeout(
                    30, lambda: log("c", "returns socket", c.resetAndDestroy() is c)
                ),
            )

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("error", lambda err: log("c", "error", err))
        c.on("close", lambda had_error: log("c", "close", had_error, c.destroyed))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
