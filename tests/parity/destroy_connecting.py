"""destroy() while connecting: no 'connect', no 'error', 'close' with false; a queued write's
callback gets an error."""

from _parity import log

import twnet as net


def main():
    server = net.createServer()

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1", lambda: log("c", "connect"))
        c.write("queued", lambda err=None: log("c", "write callback", err))
        log("c", "connecting", c.connecting, c.destroyed)
        c.destroy()
        log("c", "after destroy", c.connecting, c.destroyed, c.readyState)
        c.on("error", lambda err: log("c", "error", err))

        def on_close(had_error):
            log("c", "close", had_error)
            server.close()

        c.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
