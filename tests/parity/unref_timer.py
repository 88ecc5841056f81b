"""A socket's idle timeout does not keep the program alive: a connected socket with a long
timeout, unref'd along with its peer and the server, lets the program end."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda c: c.unref())

    def on_listening():
        def on_connect():
            log("c", "connect")
            c.setTimeout(60000)
            server.close(lambda err=None: log("s", "never: a connection is still open"))
            c.unref()
            server.unref()

        c = net.connect(server.address()["port"], "127.0.0.1", on_connect)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
log("z", "exit")
