"""destroy() while a large write is pending: the pending callbacks get an error, no
'finish', 'close' with false."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        c.on("error", lambda err: None)
        c.on("close", lambda had_error: server.close())
        c.resume()

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        def on_connect():
            big = b"x" * (16 * 1024 * 1024)
            log("c", "write big", c.write(big, lambda err=None: log("c", "big callback", err)))
            log("c", "write small", c.write("x", lambda err=None: log("c", "small callback", err)))
            c.destroy()
            log("c", "destroyed", c.destroyed, c.writable)

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("finish", lambda: log("c", "finish"))
        c.on("error", lambda err: log("c", "error", err))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
