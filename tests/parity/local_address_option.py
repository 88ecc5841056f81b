"""connect({localAddress, localPort}): the socket is bound before connecting; the server sees
that address and port."""

from _parity import log

import twnet as net


def main():
    probe = net.createServer()

    def on_probe():
        local_port = probe.address()["port"]

        def closed(err=None):
            def on_connection(c):
                log("s", "remote", c.remoteAddress, c.remotePort == local_port)
                c.end()
                server.close()

            server = net.createServer(on_connection)

            def on_listening():
                options = {
                    "port": server.address()["port"],
                    "host": "127.0.0.1",
                    "localAddress": "127.0.0.1",
                    "localPort": local_port,
                }
                c = net.connect(
                    options, lambda: log("c", "local", c.localAddress, c.localPort == local_port)
                )

            server.listen(0, "127.0.0.1", on_listening)

        probe.close(closed)

    probe.listen(0, "127.0.0.1", on_probe)


net.run(main)
