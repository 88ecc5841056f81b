"""events.captureRejections = True makes a server capture: an async 'connection' listener
that fails destroys that connection with the error and the server goes on accepting; a
failing async listener of another event ('listening') makes the server emit 'error'."""

from _parity import log

import twnet as net
from twnet import events

events.captureRejections = True


def main():
    count = [0]
    server = net.createServer()

    async def on_connection(conn):
        count[0] += 1
        n = count[0]
        conn.on("error", lambda err: log(f"s{n}", "error", err))
        conn.on("close", lambda had_error: log(f"s{n}", "close", had_error))
        if n == 1:
            raise Exception("first connection")
        conn.end("second ok")

    async def on_listening():
        raise Exception("in listening")

    server.on("connection", on_connection)
    server.on("error", lambda err: log("server", "error", err))
    server.on("listening", on_listening)

    def listening():
        port = server.address()["port"]
        first = net.connect(port, "127.0.0.1")
        first.on("error", lambda err: log("c1", "error", err.code))

        def first_closed():
            log("c1", "close")
            second = net.connect(port, "127.0.0.1")
            second.on("data", lambda d: log("c2", "data", d))

            def second_closed():
                log("c2", "close")
                server.close()

            second.on("close", second_closed)

        first.on("close", first_closed)

    server.listen(0, "127.0.0.1", listening)


net.run(main)
