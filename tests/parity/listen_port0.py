"""listen(0, cb): any address, OS-assigned port; listening flag; close event and callback."""

from _parity import log

import twnet as net


def main():
    server = net.createServer()
    log("s", "listening before", server.listening)
    server.on("close", lambda: log("s", "close event"))

    def on_listening():
        a = server.address()
        log("s", "listening", server.listening, a["address"], a["family"], a["port"] > 0)
        server.close(lambda err=None: log("s", "close callback", err))
        log("s", "listening after close", server.listening, server.address())

    server.listen(0, on_listening)


net.run(main)
