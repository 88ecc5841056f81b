"""highWaterMark: the default on a client socket, createServer({highWaterMark}) on accepted
sockets, and write() returning false once that many bytes wait."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        log("s", "hwm", c.readableHighWaterMark, c.writableHighWaterMark)
        log("s", "write 1023", c.write(bytes(1023)))
        log("s", "write 1", c.write(bytes(1)))
        c.end()

    server = net.createServer({"highWaterMark": 1024}, on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1")
        log("c", "hwm", c.readableHighWaterMark, c.writableHighWaterMark)
        c.resume()

        def on_end():
            c.end()
            server.close()

        c.on("end", on_end)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
