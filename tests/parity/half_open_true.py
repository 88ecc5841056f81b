"""allowHalfOpen: true — the server hears the client's FIN, keeps writing, then ends itself."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        got = []
        c.on("data", lambda d: got.append(d))

        def on_end():
            log("s", "end", b"".join(got), c.writable, c.readable)
            c.write("still ")
            set_timeout(20, c.end, "writing")

        c.on("end", on_end)
        c.on("finish", lambda: log("s", "finish"))

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("close", on_close)

    server = net.createServer({"allowHalfOpen": True}, on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1", lambda: c.end("ping"))
        got = []
        c.on("data", lambda d: got.append(d))
        c.on("end", lambda: log("c", "end", b"".join(got)))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
