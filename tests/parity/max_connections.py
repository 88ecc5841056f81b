"""maxConnections = 1: a second connection is dropped with a 'drop' event (its local and
remote addresses), the client sees its connection end; 'connection' is not emitted for it."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        log("s", "connection")

        def on_close(had_error):
            log("s", "first closed")
            server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)
    server.maxConnections = 1

    def on_drop(data):
        log(
            "s",
            "drop",
            data["localAddress"],
            data["remoteAddress"],
            data["remoteFamily"],
            data["localPort"] == server.address()["port"],
            "number" if isinstance(data["remotePort"], int) else type(data["remotePort"]).__name__,
        )

    server.on("drop", on_drop)

    def on_listening():
        port = server.address()["port"]

        def first_connect():
            log("a", "first connect")
            second = net.connect(port, "127.0.0.1", lambda: log("b", "second connect"))
            second.on("end", lambda: log("b", "second end"))
            second.on("error", lambda err: log("b", "second error", err.code))

            def second_close(had_error):
                log("b", "second close")
                first.end()

            second.on("close", second_close)

        first = net.connect(port, "127.0.0.1", first_connect)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
