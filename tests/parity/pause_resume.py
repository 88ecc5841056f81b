"""pause() stops 'data' (isPaused, readableFlowing), data sent meanwhile waits; resume()
delivers it, then 'end'."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        def first(d):
            log("s", "first", d)
            c.pause()
            log("s", "paused", c.isPaused(), c.readableFlowing)
            c.on("data", lambda d: log("s", "data", d))
            c.write("go on")

            def resume():
                log("s", "resume")
                c.resume()
                log("s", "resumed", c.isPaused(), c.readableFlowing)

            set_timeout(50, resume)

        c.once("data", first)

        def on_end():
            log("s", "end")
            server.close()

        c.on("end", on_end)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1", lambda: c.write("one"))

        def on_data(d):
            log("c", "data", d)
            c.end("two")

        c.on("data", on_data)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
