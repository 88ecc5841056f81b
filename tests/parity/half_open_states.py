"""Half-open from the server side: the server ends first and keeps reading ('readOnly'); the
client (allowHalfOpen) hears 'end', is 'writeOnly', writes more and ends; both close."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        c.end("server done")
        log("s", "after end()", c.readyState, c.readable, c.writable)
        got = []
        c.on("data", got.append)
        c.on("end", lambda: log("s", "end", b"".join(got), c.readyState))

        def on_close(had_error):
            log("s", "close", had_error, c.readyState)
            server.close()

        c.on("close", on_close)

    server = net.createServer({"allowHalfOpen": True}, on_connection)

    def on_listening():
        c = net.connect(
            {"port": server.address()["port"], "host": "127.0.0.1", "allowHalfOpen": True}
        )
        got = []
        c.on("data", got.append)

        def on_end():
            log("c", "end", b"".join(got), c.readyState, c.readable, c.writable)
            c.write("late ")
            c.end("words")
            log("c", "after end()", c.readyState)

        c.on("end", on_end)
        c.on("close", lambda had_error: log("c", "close", had_error, c.readyState))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
