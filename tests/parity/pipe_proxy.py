"""A proxy made of pipe(): client -> proxy -> echo server and back, 1 MiB each way, ends
propagated by pipe() through half-open sockets."""

import hashlib

from _parity import log

import twnet as net


def main():
    echo = net.createServer({"allowHalfOpen": True}, lambda c: c.pipe(c))

    def on_proxy(c):
        up = net.connect(
            {"port": echo.address()["port"], "host": "127.0.0.1", "allowHalfOpen": True}
        )
        c.pipe(up).pipe(c)

        def on_close(had_error):
            log("p", "client side close")
            proxy.close()
            echo.close()

        c.on("close", on_close)

    proxy = net.createServer({"allowHalfOpen": True}, on_proxy)

    def on_proxy_listening():
        data = bytes(i % 251 for i in range(1024 * 1024))
        c = net.connect(proxy.address()["port"], "127.0.0.1", lambda: c.end(data))
        digest = hashlib.sha256()
        n = 0

        def on_data(d):
            nonlocal n
            n += len(d)
            digest.update(d)

        c.on("data", on_data)
        c.on("end", lambda: log("c", "end", n, digest.digest() == hashlib.sha256(data).digest()))
        c.on("close", lambda had_error: log("c", "close", had_error))

    echo.listen(0, "127.0.0.1", lambda: proxy.listen(0, "127.0.0.1", on_proxy_listening))


net.run(main)
