"""connect(port, host, cb), connect({port, host}, cb), createConnection(port, host) with a
'connect' listener, new Socket().connect(port, host, cb), new Socket().connect({port, host}),
and connect(port) to 'localhost': one after the other, each sending its number."""

from _parity import log

import twnet as net


def main():
    server = net.createServer(lambda c: c.on("data", lambda d: log("s", "got", d)))

    def on_listening():
        port = server.address()["port"]
        forms = [
            lambda cb: net.connect(port, "127.0.0.1", cb),
            lambda cb: net.connect({"port": port, "host": "127.0.0.1"}, cb),
            lambda cb: net.createConnection(port, "127.0.0.1").on("connect", cb),
            lambda cb: net.Socket().connect(port, "127.0.0.1", cb),
            lambda cb: net.Socket().connect({"port": port, "host": "127.0.0.1"}).on("connect", cb),
            lambda cb: net.connect(port, cb),
        ]
        i = 0

        def next_form():
            nonlocal i
            if i == len(forms):
                server.close(lambda err=None: log("z", "done"))
                return
            i += 1
            n = i
            c = None

            def on_connect():
                log("c", n, "connect", c.connecting, c.remotePort == port, c.pending)
                c.end(f"form {n}")

            c = forms[n - 1](on_connect)
            log("c", n, "connecting", c.connecting, c.pending)

            def on_close(had_error):
                log("c", n, "close", had_error)
                next_form()

            c.on("close", on_close)

        next_form()

    server.listen(0, on_listening)


net.run(main)
