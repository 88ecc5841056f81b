"""The spec's echo server (write 'hello\\r\\n', pipe the socket to itself) and its client
(write 'world!\\r\\n', print the data, end), on port 0 instead of 8124."""

import json

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        # 'connection' listener
        log("s", "client connected")

        def on_end():
            log("s", "client disconnected")
            server.close()

        c.on("end", on_end)
        c.write("hello\r\n")
        c.pipe(c)

    server = net.createServer(on_connection)

    def on_error(err):
        raise err

    server.on("error", on_error)

    def on_listening():
        log("s", "server bound")

        def on_connect():
            # 'connect' listener
            log("c", "connected to server!")
            client.write("world!\r\n")

        client = net.createConnection({"port": server.address().port}, on_connect)
        received = ""

        def on_data(data):
            nonlocal received
            received += data.decode()
            if received == "hello\r\nworld!\r\n":
                log("c", json.dumps(received))
                client.end()

        client.on("data", on_data)
        client.on("end", lambda: log("c", "disconnected from server"))

    server.listen(0, on_listening)


net.run(main)
