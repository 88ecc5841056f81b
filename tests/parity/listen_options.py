"""listen({port, host, backlog}, cb) and listen({port: 0}) with a 'listening' listener."""

from _parity import log

import twnet as net


def main():
    a = net.createServer()

    def on_a():
        log("a", "listening", a.address()["address"], a.address()["family"])
        a.close()

    a.listen({"port": 0, "host": "127.0.0.1", "backlog": 5}, on_a)
    a.on("close", lambda: log("a", "close"))
    b = net.createServer()

    def on_b():
        log("b", "listening", b.address()["address"], b.address()["family"])
        b.close()

    b.on("listening", on_b)
    b.listen({"port": 0})


net.run(main)
