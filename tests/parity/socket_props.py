"""Socket properties before, during and after a connection: readyState, pending, connecting,
local/remote address, port and family, bytesRead/bytesWritten, address()."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        log(
            "s",
            "remote",
            c.remoteAddress,
            c.remoteFamily,
            "number" if isinstance(c.remotePort, int) else "?",
        )
        log("s", "local", c.localAddress, c.localPort == server.address()["port"], c.localFamily)
        log("s", "readyState", c.readyState, c.pending, c.connecting)
        c.on("data", lambda d: c.end(d + d))

        def on_close(had_error):
            log("s", "close", c.bytesRead, c.bytesWritten)
            server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.Socket()
        log(
            "c",
            "new",
            c.readyState,
            c.pending,
            c.connecting,
            c.remoteAddress,
            c.localAddress,
            c.bytesRead,
            c.bytesWritten,
        )

        def on_connect():
            a = c.address()
            log("c", "connected", c.readyState, c.pending, c.connecting)
            log(
                "c",
                "remote",
                c.remoteAddress,
                c.remoteFamily,
                c.remotePort == server.address()["port"],
            )
            log("c", "address", a["address"], a["family"], a["port"] == c.localPort, c.localFamily)
            c.write("ping")

        c.connect(server.address()["port"], "127.0.0.1", on_connect)
        log("c", "connecting", c.readyState, c.pending, c.connecting)
        c.on("data", lambda d: log("c", "data", d, c.bytesRead, c.bytesWritten))
        c.on("end", lambda: log("c", "end", c.readyState))
        c.on(
            "close",
            lambda had_error: log(
                "c", "close", c.readyState, c.destroyed, c.bytesRead, c.bytesWritten
            ),
        )

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
