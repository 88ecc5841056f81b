"""getConnections(cb): (null, count) as connections come and go; the deprecated connections
property is not compared."""

from _parity import log

import twnet as net


def main():
    sockets = []

    def on_connection(c):
        sockets.append(c)

        def counted(err, n):
            log("s", "connection", len(sockets), "count", err, n)
            if n == 2:
                sockets[0].destroy()

        server.getConnections(counted)

        def after_close(err, n):
            log("s", "after close count", err, n)
            if n == 1:
                sockets[1].destroy()
            else:
                server.close()

        c.on("close", lambda had_error: server.getConnections(after_close))

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()["port"]
        log("s", "returns server", server.getConnections(lambda err, n: None) is server)
        net.connect(port, "127.0.0.1", lambda: net.connect(port, "127.0.0.1"))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
