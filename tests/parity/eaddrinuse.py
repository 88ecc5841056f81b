"""EADDRINUSE: the second server's 'error' (code, syscall, message), not followed by
'close'; it is not listening."""

from _parity import log, mask, set_timeout

import twnet as net


def main():
    first = net.createServer()

    def on_listening():
        port = first.address()["port"]
        mask(port, "PORT")
        second = net.createServer()

        def on_error(err):
            log("b", "error", err)
            log("b", "fields", err.syscall, err.address, err.port == port, second.listening)
            set_timeout(20, first.close, lambda err=None: log("c", "first closed"))

        second.on("error", on_error)
        second.on("close", lambda: log("b", "close"))
        second.on("listening", lambda: log("b", "listening"))
        second.listen(port, "127.0.0.1")

    first.listen(0, "127.0.0.1", on_listening)


net.run(main)
