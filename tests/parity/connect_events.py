"""A client's event sequence: 'lookup' (for 'localhost'), 'connect', 'ready', 'data', 'end',
'finish', 'close'; setNoDelay/setKeepAlive return the socket; the connect 'timeout' option."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda c: c.end("hi"))

    def on_listening():
        c = net.createConnection(
            {"port": server.address()["port"], "host": "localhost", "family": 4, "timeout": 5000}
        )
        log("c", "timeout option", c.timeout)
        for name in ["lookup", "connect", "ready", "end", "finish"]:
            c.on(name, lambda *args, name=name: log("c", name, *(args if name == "lookup" else ())))
        c.on("data", lambda d: log("c", "data", d))

        def on_close(had_error):
            log("c", "close", had_error)
            server.close()

        c.on("close", on_close)
        c.once(
            "connect",
            lambda: log(
                "c",
                "chainable",
                c.setNoDelay(True) is c,
                c.setKeepAlive(True, 1000) is c,
                c.setNoDelay() is c,
            ),
        )

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
