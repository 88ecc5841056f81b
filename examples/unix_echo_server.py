"""The echo server of the Node ``net`` documentation on a UNIX socket.

    python examples/unix_echo_server.py [PATH]     (default /tmp/echo.sock)

then ``nc -U /tmp/echo.sock`` (or ``python examples/client.py /tmp/echo.sock``). As in Node,
listening fails with EADDRINUSE while the socket file exists; the server removes it when it
closes (Ctrl-C).
"""

import sys

import twnet as net

PATH = sys.argv[1] if len(sys.argv) > 1 else "/tmp/echo.sock"


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
    server.listen(PATH, lambda: print("server bound", flush=True))


net.run(main)
