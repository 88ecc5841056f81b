"""unref(): a listening server and a connected socket that are unref'd let the program end
(no 'close' events); ref()/unref() return their object."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        log("s", "connection")
        log("s", "socket unref returns socket", c.unref() is c)

    server = net.createServer(on_connection)

    def on_listening():
        log("s", "listening")
        log("s", "unref returns server", server.unref() is server, server.ref() is server)
        server.unref()

        def on_connect():
            log("c", "connect")
            c.unref()

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("close", lambda had_error: log("c", "close"))

    server.listen(0, "127.0.0.1", on_listening)
    server.on("close", lambda: log("s", "close"))


net.run(main)
log("z", "exit")
