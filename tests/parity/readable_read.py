"""Paused mode: 'readable' and read(n) on a socket, then read() of the rest, then 'end'."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda c: c.end("abcdefg"))

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1")
        step = 0

        def on_readable():
            nonlocal step
            step += 1
            if step == 1:
                log("c", "readable", step, c.readableLength)
                log("c", "read(2)", c.read(2))
                log("c", "read(3)", c.read(3))
                log("c", "read(100)", c.read(100))
                log("c", "read()", c.read())
                log("c", "read() again", c.read())
            else:
                log("c", "readable", step, c.readableLength, c.read())

        def on_close(had_error):
            log("c", "close")
            server.close()

        c.on("readable", on_readable)
        c.on("end", lambda: log("c", "end"))
        c.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
