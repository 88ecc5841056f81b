"""The client of the Node ``net`` documentation, for the echo server, line by line.

    python examples/client.py [PORT | PATH]     (default: port 8124)

A PATH (anything that is not a number) connects to a UNIX socket, as
``net.connect({path: '/tmp/echo.sock'})`` does.
"""

import sys

import twnet as net

target = sys.argv[1] if len(sys.argv) > 1 else "8124"
options = {"port": int(target)} if target.isdigit() else {"path": target}


def main():
    def on_connect():
        # 'connect' listener
        print("connected to server!", flush=True)
        client.write("world!\r\n")

    client = net.connect(options, on_connect)

    def on_data(data):
        print(data.decode(), flush=True)
        client.end()

    client.on("data", on_data)
    client.on("end", lambda: print("disconnected from server", flush=True))


net.run(main)
