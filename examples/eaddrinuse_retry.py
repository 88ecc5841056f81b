"""The EADDRINUSE example of the Node ``net`` documentation: when the port is taken, wait a
second and try again.

    python examples/eaddrinuse_retry.py [PORT [HOST [DELAY_MS]]]   (default 8124 localhost 1000)
"""

import sys

from twisted.internet import reactor

import twnet as net

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8124
HOST = sys.argv[2] if len(sys.argv) > 2 else "localhost"
DELAY = int(sys.argv[3]) if len(sys.argv) > 3 else 1000


def main():
    server = net.createServer(lambda c: c.end("hello\r\n"))

    def retry():
        server.close()
        server.listen(PORT, HOST)

    def on_error(e):
        if e.code == "EADDRINUSE":
            print("Address in use, retrying...", flush=True)
            reactor.callLater(DELAY / 1000, retry)  # setTimeout(() => {...}, 1000)

    server.on("error", on_error)
    server.on("listening", lambda: print("server bound", flush=True))
    server.listen(PORT, HOST)


net.run(main)
