"""The spec's exclusive listen: listen({host, port, exclusive: true})."""

from _parity import log

import twnet as net


def main():
    server = net.createServer()

    def on_listening():
        log("s", "listening", server.listening)
        server.close(lambda err=None: log("s", "closed"))

    server.listen({"host": "localhost", "port": 0, "exclusive": True}, on_listening)


net.run(main)
