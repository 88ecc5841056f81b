"""listen() with no argument: a random port on the unspecified address, 'listening' event."""

from _parity import log

import twnet as net


def main():
    server = net.createServer()
    ret = server.listen()
    log("s", "listen returns server", ret is server)

    def on_listening():
        a = server.address()
        log("s", "listening", a["address"], a["family"], a["port"] > 0)
        server.close()

    server.on("listening", on_listening)
    server.on("close", lambda: log("s", "close"))


net.run(main)
