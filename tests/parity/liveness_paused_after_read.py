"""Liveness: a socket paused after it started reading keeps reading from the kernel until its
buffer reaches the high-water mark, and holds the process until then: the server's unref'd
timer still fires and sends 1 MiB, the client stops reading once full, and the process exits."""

from _parity import log

import twnet as net


def main():
    def on_connection(s):
        s.unref()
        s.write("hello")

        def more():
            log("s", "sending more")
            s.write(b"b" * (1024 * 1024))

        net.setTimeout(more, 100).unref()

    server = net.createServer(on_connection)

    def on_listening():
        server.unref()
        c = net.connect(server.address()["port"], "127.0.0.1")

        def on_data(d):
            log("c", "data", d)
            c.pause()

        c.once("data", on_data)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
