"""The echo server of the Node ``net`` documentation, line by line.

    python examples/echo_server.py [PORT]      (default 8124)

then ``telnet localhost 8124`` (or ``python examples/client.py``).
"""

import sys

import twnet as net

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8124


def main():
    def on_connection(c):
        # 'connection' listener
        print("client connected", flush=True)
        c.on("end", lambda: print("client disconnected", flush=True))
        c.write("hello\r\n")
        c.pipe(c)

    server = net.createServer(on_connection)

    def on_error(err):
        raise err

    server.on("error", on_error)
    server.listen(PORT, lambda: print("server bound", flush=True))


net.run(main)
