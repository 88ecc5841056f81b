"""write() after end(): the callback and an 'error' event get ERR_STREAM_WRITE_AFTER_END;
write() returns false; then 'close' true."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        c.resume()
        c.on("end", lambda: server.close())

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            c.end("done")
            log(
                "c",
                "write returns",
                c.write("more", lambda err=None: log("c", "write callback", err)),
            )

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)
        c.on("error", lambda err: log("c", "error", err))
        c.on("finish", lambda: log("c", "finish"))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
