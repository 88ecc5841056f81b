"""A server on '::1' and a client to '::1': IPv6 addresses and families on both sides."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        log("s", "remote", c.remoteAddress, c.remoteFamily, "local", c.localAddress, c.localFamily)
        c.end()

    server = net.createServer(on_connection)

    def on_listening():
        log("s", "address", server.address()["address"], server.address()["family"])

        def on_connect():
            log(
                "c",
                "remote",
                c.remoteAddress,
                c.remoteFamily,
                "local",
                c.localAddress,
                c.localFamily,
            )

        c = net.connect({"port": server.address()["port"], "host": "::1"}, on_connect)
        c.on("close", lambda had_error: server.close())

    server.listen(0, "::1", on_listening)


net.run(main)
