"""end(data) called while still connecting: the data and the FIN go out once connected;
'connect', then 'finish', then the peer's answer, 'end' and 'close'."""

from _parity import log

import twnet as net


def main():
    def on_connection(c):
        got = []
        c.on("data", got.append)

        def on_end():
            data = b"".join(got).decode()
            log("s", "end", data)
            c.end(f"got {data}")
            server.close()

        c.on("end", on_end)

    server = net.createServer({"allowHalfOpen": True}, on_connection)

    def on_listening():
        c = net.connect(server.address()["port"], "127.0.0.1")
        c.end("early", lambda err=None: log("c", "end callback"))
        log("c", "after end()", c.connecting, c.writable, c.writableEnded, c.readyState)
        for name in ["connect", "ready", "finish", "end"]:
            c.on(name, lambda name=name: log("c", name))
        c.on("data", lambda d: log("c", "data", d))
        c.on("close", lambda had_error: log("c", "close", had_error))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
