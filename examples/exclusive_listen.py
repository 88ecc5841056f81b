"""The exclusive listen of the Node ``net`` documentation: the handle is not shared.

python examples/exclusive_listen.py [PORT]     (default 80, as in the documentation)
"""

import sys

import twnet as net

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 80


def main():
    server = net.createServer(lambda c: c.end("hello\r\n"))
    server.listen(
        {"host": "localhost", "port": PORT, "exclusive": True},
        lambda: print("listening on", server.address(), flush=True),
    )


net.run(main)
