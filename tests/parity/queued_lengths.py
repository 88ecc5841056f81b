"""What queued writes count for: writableLength and bufferSize count a string by its length
(UTF-16 code units, whatever its encoding), bytesWritten by its bytes; while connecting,
at ECONNREFUSED (the queued writes still counted) and at 'close'; on an open socket whose
peer does not read; corked."""

from _parity import log, mask

import twnet as net


def lengths(tag, label, c, base=0, written=0):
    size = None if c.bufferSize is None else c.bufferSize - base
    log(tag, label, c.writableLength - base, size, c.bytesWritten - written)


def main():
    probe = net.createServer()

    def on_probe():
        port = probe.address()["port"]
        mask(port, "PORT")

        def closed(err=None):
            c = net.connect(port, "127.0.0.1")
            c.write("héllo")
            c.write(b"abc")
            c.write("ff00", "hex")
            c.write("€€", "utf16le")
            c.write("a😀", "utf8")
            lengths("a", "connecting", c)

            def on_error(err):
                log("a", "error", err.code)
                lengths("a", "at error", c)

            def on_close(had_error):
                log("a", "close", had_error)
                lengths("a", "at close", c)

            c.on("error", on_error)
            c.on("close", on_close)

        probe.close(closed)

    probe.listen(0, "127.0.0.1", on_probe)

    state = {"peer": None, "client": None, "ready": 0}

    def both_open():
        state["ready"] += 1
        if state["ready"] < 2:
            return
        c = state["client"]
        n = 0
        while c.write(bytes(65536)) and n < 2000:
            n += 1
        log("b", "blocked", n < 2000)
        base = c.writableLength
        written = c.bytesWritten
        for text, encoding in [
            ("héllo", "utf8"),
            ("€€", "utf16le"),
            ("ff00", "hex"),
            ("aGk=", "base64"),
            ("ÿé", "latin1"),
            ("😀", "ucs2"),
            ("x😀", "utf8"),
        ]:
            log("b", "write", text, encoding, c.write(text, encoding))
            lengths("b", "queued", c, base, written)
        c.cork()
        c.write("é")
        lengths("b", "corked", c, base, written)
        c.uncork()
        c.end("😀😀")
        lengths("b", "ending", c, base, written)
        c.destroy()
        log("b", "destroyed", c.bufferSize)
        state["peer"].destroy()
        server.close()

    def on_connection(s):
        state["peer"] = s
        s.on("error", lambda e: None)
        both_open()

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        state["client"] = net.connect(server.address()["port"], "127.0.0.1", both_open)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
