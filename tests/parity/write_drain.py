"""Large writes: write() returns false past the high-water mark, 'drain' follows once the
queue empties (before the callbacks of the writes it flushed), bufferSize/writableLength."""

from _parity import log, set_timeout

import twnet as net

MIB = 1024 * 1024


def main():
    def on_connection(c):
        total = 0

        def on_data(d):
            nonlocal total
            total += len(d)

        def on_end():
            log("s", "received", total)
            server.close()

        c.on("data", on_data)
        c.on("end", on_end)
        set_timeout(50, c.resume)

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        def on_connect():
            log("c", "hwm", c.writableHighWaterMark)
            log(
                "c",
                "small write",
                c.write("x" * 100, lambda err=None: log("c", "small callback", err)),
            )
            log(
                "c",
                "big write",
                c.write(bytes(8 * MIB), lambda err=None: log("c", "big callback", err)),
            )
            log("c", "queued", c.writableLength > 0, c.bufferSize > 0, c.writableNeedDrain)

            def on_drain():
                log("c", "drain", c.writableLength, c.writableNeedDrain)
                c.end(lambda err=None: log("c", "end callback"))

            c.once("drain", on_drain)

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("finish", lambda: log("c", "finish", c.bytesWritten))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
