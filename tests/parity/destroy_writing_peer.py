"""The peer of a socket destroyed with a large write pending: it reads what was sent, then a
plain end ('end', 'close' false), no ECONNRESET."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        total = 0

        def on_data(d):
            nonlocal total
            total += len(d)

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("data", on_data)
        c.on("end", lambda: log("s", "end", total > 0))
        c.on("error", lambda err: log("s", "error", err.code))
        c.on("close", on_close)
        set_timeout(50, c.resume)

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        def on_connect():
            c.write(b"x" * (16 * 1024 * 1024), lambda err=None: None)
            c.destroy()

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("error", lambda err: None)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
