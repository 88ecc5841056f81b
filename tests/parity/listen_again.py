"""listen() may be called again after close(): the second listen works and serves a client."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda c: c.end("served"))
    round_ = 0

    def on_listening():
        nonlocal round_
        round_ += 1
        log("s", "listening", round_, server.listening)
        if round_ == 1:

            def closed(err=None):
                log("s", "closed", round_, server.listening)
                server.listen(0, "127.0.0.1")

            server.close(closed)
        else:
            c = net.connect(server.address()["port"], "127.0.0.1")
            c.on("data", lambda d: log("c", "data", d))
            c.on(
                "close",
                lambda had_error: server.close(
                    lambda err=None: log("s", "closed", round_, server.listening)
                ),
            )

    server.on("listening", on_listening)
    server.listen(0, "127.0.0.1")


net.run(main)
