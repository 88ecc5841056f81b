"""pauseOnConnect: the accepted socket reads nothing until resume()."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        log("s", "connection", c.isPaused(), c.readableFlowing)
        c.on("data", lambda d: log("s", "data", d))

        def on_end():
            log("s", "end")
            server.close()

        c.on("end", on_end)

        def resume():
            log("s", "resume", c.bytesRead)
            c.resume()

        set_timeout(50, resume)

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        client = net.connect(server.address()["port"], "127.0.0.1", lambda: client.end("hello"))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
