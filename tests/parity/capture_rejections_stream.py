"""captureRejections on streams: a failing async listener destroys the stream with the error
('error', then 'close'), a PassThrough and a connected net.Socket alike."""

from _parity import log
from twisted.internet.defer import succeed

import twnet as net
from twnet.stream import PassThrough


def main():
    p = PassThrough({"captureRejections": True})

    async def on_data(chunk):
        log("p", "data", chunk)
        raise Exception("in data")

    p.on("data", on_data)
    p.on("error", lambda err: log("p", "error", err, p.destroyed))
    p.on("close", lambda: log("p", "close"))
    p.write("hello")

    def on_connection(c):
        c.on("end", lambda: log("s", "end"))

        def on_close(had_error):
            log("s", "close", had_error)
            server.close()

        c.on("close", on_close)

    server = net.createServer(on_connection)

    def on_listening():
        c = net.Socket(captureRejections=True)

        async def on_connect():
            log("c", "connect")
            await succeed(None)
            raise Exception("in connect")

        c.on("connect", on_connect)
        c.on("error", lambda err: log("c", "error", err))
        c.on("close", lambda had_error: log("c", "close", had_error, c.destroyed))
        c.connect(server.address()["port"], "127.0.0.1")

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
