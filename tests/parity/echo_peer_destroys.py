"""The spec's echo server (write 'hello\\r\\n', pipe the socket to itself) when the client reads
its echo and then destroys its socket (a full close, as telnet or nc do): the server sees
'end', finishes and closes without an error."""

from _parity import log

import twnet as net

closed = 0
accepted = 0
N = 10


def main():
    def on_connection(c):
        global accepted
        accepted += 1
        tag = f"s{accepted:d}"
        c.write("hello\r\n")
        c.pipe(c)
        c.on("end", lambda: log(tag, "end"))
        c.on("finish", lambda: log(tag, "finish"))
        c.on("error", lambda err: log(tag, "error", err))

        def on_close(had_error):
            global closed
            log(tag, "close", had_error)
            closed += 1
            if closed == N:
                server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        for _ in range(N):
            c = net.connect(server.address()["port"], "127.0.0.1")

            got = {"data": b""}

            def on_data(d, c=c, got=got):
                got["data"] += d
                if got["data"] == b"hello\r\n":
                    c.write("x")
                if got["data"] == b"hello\r\nx":
                    c.destroy()

            c.on("data", on_data)
            c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
