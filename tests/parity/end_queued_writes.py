"""end(data) after queued writes: every byte arrives, in order, before the FIN; write
callbacks run in order, then 'finish', then 'close'."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        got = []
        c.on("data", lambda d: got.append(d))

        def on_end():
            data = b"".join(got)
            log("s", "end", len(data), data[:3], data[-3:])
            server.close()

        c.on("end", on_end)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1")
        log("c", "write a", c.write("a", lambda err=None: log("c", "cb a", err)))
        log("c", "write b", c.write("b" * 100000, lambda err=None: log("c", "cb b", err)))
        log("c", "write c", c.write(b"c", lambda err=None: log("c", "cb c", err)))
        ret = c.end("xyz", lambda err=None: log("c", "end callback"))
        log("c", "end returns socket", ret is c, c.writableEnded, c.writableFinished)
        c.on("connect", lambda: log("c", "connect"))
        c.on("finish", lambda: log("c", "finish", c.writableFinished))
        c.on("close", lambda had_error: log("c", "close", had_error, c.bytesWritten))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
