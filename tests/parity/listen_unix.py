"""listen(path, cb): address() is the path; a client connects by path (string and options
forms); the socket file is removed when the server closes."""

import os

from _parity import TMP, log, mask

import twnet as net


def main():
    mask(TMP, "TMP")
    sock_path = os.path.join(TMP, "echo.sock")

    def on_connection(c):
        c.on("data", lambda d: c.end(d))

    server = net.createServer(on_connection)

    def on_listening():
        log("a", "listening", server.address(), os.path.exists(sock_path))
        c1 = net.connect(sock_path, lambda: (log("c1", "connect", c1.remoteAddress), c1.end("one")))
        c1.on("data", lambda d: log("c1", "data", d))

        def c1_close(had_error):
            log("c1", "close", had_error)
            c2 = net.createConnection(
                {"path": sock_path}, lambda: (log("c2", "connect"), c2.end("two"))
            )
            c2.on("data", lambda d: log("c2", "data", d))

            def c2_close(had_error):
                log("c2", "close", had_error)
                server.close(
                    lambda err=None: log("z", "closed, file exists", os.path.exists(sock_path))
                )

            c2.on("close", c2_close)

        c1.on("close", c1_close)

    server.listen(sock_path, on_listening)


net.run(main)
