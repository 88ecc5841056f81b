"""A closed socket connects again (Node's _undestroy): refused first ('error', 'close' true),
then twice to a server, each time with fresh state (errored cleared, 'end', 'finish', 'close'
false, byte counters from 0) and bufferSize undefined once closed."""

from _parity import log, mask

import twnet as net


def main():
    def on_connection(c):
        c.on("data", c.write)
        c.on("end", lambda: c.end())

    server = net.createServer(on_connection)
    probe = net.createServer()

    def on_probe():
        refused = probe.address()["port"]
        mask(refused, "REFUSED")

        def on_listening():
            port = server.address()["port"]
            s = net.Socket()
            closes = [0]
            s.on("error", lambda err: log("c", "error", err.code))
            s.on("data", lambda d: log("c", "data", d))
            for name in ("end", "finish"):
                s.on(name, lambda name=name: log("c", name))

            def on_close(had_error):
                closes[0] += 1
                log(
                    "c",
                    "close",
                    had_error,
                    s.destroyed,
                    s.bufferSize,
                    s.readyState,
                    s.bytesRead,
                    s.bytesWritten,
                )
                if closes[0] == 3:
                    server.close()
                    return

                def on_connect():
                    log(
                        "c",
                        "connect",
                        closes[0],
                        s.readyState,
                        s.errored,
                        s.destroyed,
                        s.writable,
                        s.bytesRead,
                        s.bytesWritten,
                    )
                    s.end(b"one" if closes[0] == 1 else b"two!!")

                s.connect(port, "127.0.0.1", on_connect)

            s.on("close", on_close)
            s.connect(refused, "127.0.0.1")

        probe.close(lambda *_: server.listen(0, "127.0.0.1", on_listening))

    probe.listen(0, "127.0.0.1", on_probe)


net.run(main)
