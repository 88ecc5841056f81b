"""setEncoding edge cases: an incomplete UTF-8 sequence at the end of the stream (flushed as
U+FFFD before 'end'), and base64 across a segment boundary (whole 3-byte groups only, the
rest at the end)."""

import json

from _parity import log, set_timeout

import twnet as net

plans = {
    "utf8": [b"a", bytes([0xE2, 0x82])],
    "base64": [b"ab", b"cd"],
}


def main():
    def on_connection(c):
        c.setNoDelay(True)

        def first(d):
            plan = plans[d.decode()]
            c.write(plan[0])
            set_timeout(50, c.end, plan[1])

        c.once("data", first)

    server = net.createServer(on_connection)

    def on_listening():
        done = 0

        def ended(enc):
            nonlocal done
            log(enc, "end")
            done += 1
            if done == 2:
                server.close()

        for enc in plans:
            c = net.connect(server.address()["port"], "127.0.0.1")
            c.once("connect", lambda c=c, enc=enc: c.write(enc))
            c.setEncoding(enc)
            c.on("data", lambda d, enc=enc: log(enc, "data", json.dumps(d, ensure_ascii=False)))
            c.on("end", lambda enc=enc: ended(enc))

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
