"""The ``server.address()`` example of the Node ``net`` documentation: a server on a random
port that says goodbye to every client.

    python examples/server_address.py
"""

import twnet as net


def main():
    def on_error(err):
        # handle errors here
        raise err

    server = net.createServer(lambda socket: socket.end("goodbye\n")).on("error", on_error)

    # grab a random port.
    server.listen(lambda: print("opened server on", server.address(), flush=True))


net.run(main)
