"""write(string, encoding) and end(string, encoding) in each of Node's encodings: the bytes the
peer receives."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        chunks = []
        c.on("data", chunks.append)

        def on_end():
            log("s", "received", b"".join(chunks).hex())
            server.close()

        c.on("end", on_end)

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            c.write("é€", "utf8")
            c.write("é", "latin1")
            c.write("é", "binary")
            c.write("abc", "ascii")
            c.write("00ff10", "hex")
            c.write("aGk=", "base64")
            c.write("hé", "ucs2")
            c.write("hé", "utf16le")
            c.write(b"\x01\x02")
            c.write(bytearray([3, 4]))
            c.end("ZW5k", "base64")

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("finish", lambda: log("c", "finish", c.bytesWritten))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
