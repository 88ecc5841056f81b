"""setEncoding('utf8') with a multi-byte character split across two TCP segments: one whole
string; setEncoding('hex') and 'latin1' on other sockets. The server sends the second part only
once the client has read the first and said so, so the split never depends on timing."""

import json

from _parity import log

import twnet as net

euro = "a€b".encode()


def main():
    def on_connection(c):
        c.setNoDelay(True)
        c.write(euro[:2])
        c.once("data", lambda _ack: c.end(euro[2:]))

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()["port"]
        done = 0

        def finish():
            nonlocal done
            done += 1
            if done == 3:
                server.close()

        for enc in ["utf8", "hex", "latin1"]:
            c = net.connect(port, "127.0.0.1")
            ret = c.setEncoding(enc)
            log(enc, "setEncoding returns socket", ret is c, c.readableEncoding)
            chunks = []
            c.on("data", lambda d, chunks=chunks: chunks.append(d))
            c.once("data", lambda _d, c=c: c.write("k"))

            def on_end(enc=enc, chunks=chunks):
                kind = "string" if isinstance(chunks[0], str) else type(chunks[0]).__name__
                log(
                    enc, "data", kind, " + ".join(json.dumps(d, ensure_ascii=False) for d in chunks)
                )
                finish()

            c.on("end", on_end)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
