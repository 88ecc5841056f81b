"""allowHalfOpen: false (default) — the server's side ends by itself after the client's FIN;
a write in the 'end' listener is a write after end."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        c.on("data", lambda d: log("s", "data", d))

        def on_end():
            log("s", "end", c.writable, c.writableEnded)
            c.write("late", lambda err=None: log("s", "write callback", err))

        c.on("end", on_end)
        c.on("error", lambda err: log("s", "error", err))
        c.on("finish", lambda: log("s", "finish"))

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1", lambda: c.end("ping"))
        c.on("data", lambda d: log("c", "data", d))
        c.on("end", lambda: log("c", "end"))
        c.on("finish", lambda: log("c", "finish"))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
