"""Liveness: a socket accepted with pauseOnConnect reads nothing and, with nothing to write,
does not hold the process: once the unref'd server has it and the client is unref'd in
turn, the process exits at once (the unref'd timer never fires)."""

from _parity import log

import twnet as net

clients = []


def main():
    def on_connection(s):
        log("s", "connection", s.isPaused())
        clients[0].unref()

    server = net.createServer({"pauseOnConnect": True}, on_connection)

    def on_listening():
        server.unref()
        clients.append(net.connect(server.address()["port"], "127.0.0.1"))
        net.setTimeout(lambda: log("s", "still alive"), 3000).unref()

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
