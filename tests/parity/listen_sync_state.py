"""What is true right after listen() returns (Node binds synchronously for a numeric host), a
close() right after listen() (no 'listening'), and getConnections() before listening."""

from _parity import log

import twnet as net


def main():
    a = net.createServer()
    a.getConnections(lambda err, n: log("a", "connections before listen", err, n))

    def on_a():
        log("a", "listening event", a.listening)
        a.close()

    a.listen(0, "127.0.0.1", on_a)
    addr = a.address()
    log(
        "a",
        "right after listen",
        a.listening,
        addr and addr["address"],
        addr and addr["family"],
    )

    b = net.createServer()
    b.on("listening", lambda: log("b", "listening event"))
    b.on("close", lambda: log("b", "close event", b.listening))
    b.listen(0, "127.0.0.1")
    b.close(lambda err=None: log("b", "close callback", err))
    log("b", "right after close", b.listening)


net.run(main)
