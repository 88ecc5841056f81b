"""ECONNREFUSED: 'error' (code, syscall, address, port, message), then 'close' true."""

from _parity import log, mask

import twnet as net


def main():
    probe = net.createServer()

    def on_listening():
        port = probe.address()["port"]
        mask(port, "PORT")

        def closed(err=None):
            c = net.connect(port, "127.0.0.1", lambda: log("c", "connect"))

            def on_error(err):
                log("c", "error", err)
                log(
                    "c",
                    "fields",
                    err.syscall,
                    err.address,
                    err.port == port,
                    isinstance(err, Exception),
                )
                log("c", "state", c.connecting, c.destroyed)

            c.on("error", on_error)
            c.on("close", lambda had_error: log("c", "close", had_error))

        probe.close(closed)

    probe.listen(0, "127.0.0.1", on_listening)


net.run(main)
