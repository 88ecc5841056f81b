"""setTimeout(50, cb): 'timeout' fires on an idle socket (the callback is a one-time
listener), only once without activity, the socket stays open; setTimeout(0) disables it."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        def on_end():
            log("s", "end")
            server.close()

        c.on("end", on_end)

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            log("c", "timeout before", c.timeout)
            ret = c.setTimeout(50, lambda: log("c", "timeout callback"))
            log("c", "setTimeout returns socket", ret is c, c.timeout)

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        n = 0

        def on_timeout():
            nonlocal n
            n += 1
            log("c", "timeout event", n, c.destroyed, c.writable)
            # No second 'timeout' without activity; then disable and end.
            if n == 1:
                set_timeout(150, later)

        def later():
            log("c", "still open", c.destroyed, n)
            c.setTimeout(0)
            c.end()

        c.on("timeout", on_timeout)
        c.on("error", lambda err: log("c", "error", err))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
