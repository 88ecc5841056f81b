"""pause() before the connection opens: nothing is read from the kernel until resume()
(readableLength and bytesRead stay 0 while the peer's data waits), then everything arrives."""

from _parity import log, set_timeout

import twnet as net


def main():
    server = net.createServer(lambda s: s.end("hello"))

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1")
        c.pause()
        log("c", "paused", c.isPaused(), c.readableFlowing)

        def later():
            log("c", "before resume", c.readableLength, c.bytesRead, c.readableEnded)
            c.on("data", lambda d: log("c", "data", d))
            log("c", "flowing after a data listener", c.readableFlowing)
            c.resume()

        c.on("connect", lambda: set_timeout(50, later))
        c.on("end", lambda: log("c", "end", c.bytesRead))

        def on_close(had_error):
            log("c", "close", had_error)
            server.close()

        c.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
