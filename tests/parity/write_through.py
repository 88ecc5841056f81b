"""A write into an empty queue goes to the kernel at once (libuv's uv_try_write), over TCP and
over a UNIX socket alike: its callback runs on the next tick (before a setImmediate set
after it), writableLength is back to 0 at once, bufferSize is 0, a second 64 KiB write
still returns true, and the peer receives every byte."""

import os

from _parity import TMP, log, mask

import twnet as net

KIB64 = 64 * 1024


def scenario(tag, listen_arg, connect_arg, done):
    def on_connection(c):
        total = 0

        def on_data(d):
            nonlocal total
            total += len(d)

        def on_end():
            log(tag, "server received", total)
            c.end()
            server.close(done)

        c.on("data", on_data)
        c.on("end", on_end)

    server = net.createServer(on_connection)

    def on_listening():
        def on_connect():
            net.setImmediate(lambda: log(tag, "immediate"))
            ok = c.write("x" * 100, lambda err=None: log(tag, "small callback", err))
            net.nextTick(lambda: log(tag, "tick after write"))
            log(tag, "small write", ok, c.writableLength, c.bufferSize)
            log(tag, "big write 1", c.write(bytes([1]) * KIB64), c.writableLength)
            log(tag, "big write 2", c.write(bytes([2]) * KIB64), c.writableLength)
            c.end(lambda err=None: log(tag, "end callback", c.bytesWritten))

        c = net.connect(connect_arg(server), on_connect)
        c.on("close", lambda had_error: log(tag, "close", had_error))

    server.listen(listen_arg, on_listening)


def main():
    mask(TMP, "TMP")

    def unix(*_):
        scenario(
            "b-unix",
            os.path.join(TMP, "wt.sock"),
            lambda s: {"path": s.address()},
            lambda *_: None,
        )

    scenario("a-tcp", 0, lambda s: {"port": s.address()["port"], "host": "127.0.0.1"}, unix)


net.run(main)
