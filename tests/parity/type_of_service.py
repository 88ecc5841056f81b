"""setTypeOfService/getTypeOfService and the typeOfService option: validation errors, the
value kept before connecting, EBADF between connect() and the attempt (and during a look-up),
IP_TOS on IPv4, IPV6_TCLASS on IPv6 and dual-stack sockets, Linux's ECN bits, accepted
sockets, the last value kept after close, a UNIX socket keeping the value."""

import math
import os

from _parity import TMP, log

import twnet as net


def kind(err):
    if isinstance(err, ValueError):
        return "RangeError"
    return "TypeError" if isinstance(err, TypeError) else "Error"


def t(tag, what, fn):
    try:
        log(tag, what, fn())
    except Exception as err:
        log(tag, what, kind(err), err, getattr(err, "syscall", None))


def set_get(sock, value):
    sock.setTypeOfService(value)
    return sock.getTypeOfService()


s = net.Socket()
t("a fresh", "get", lambda: s.getTypeOfService())
t("a fresh", "set 0x10 returns the socket", lambda: s.setTypeOfService(0x10) is s)
t("a fresh", "get", lambda: s.get_type_of_service())
for label, v in [
    ("-1", -1), ("256", 256), ("1.5", 1.5), ("8", "8"), ("NaN", math.nan), ("null", None),
    ("undefined", None), ("true", True), ("2147483648", 2**31), ("255", 255), ("0", 0),
]:  # fmt: skip
    t("a fresh", f"set {label}", lambda v=v: set_get(s, v))
t("b option", "300", lambda: net.Socket({"typeOfService": 300}))
t("b option", "string", lambda: net.Socket({"typeOfService": "3"}))
t("b option", "1.5", lambda: net.Socket(type_of_service=1.5))
t("b option", "0x28", lambda: net.Socket({"typeOfService": 0x28}).getTypeOfService())


def main():
    def on_connection(c):
        t("c accepted", "get", lambda: c.getTypeOfService())
        t("c accepted", "set 0x48", lambda: set_get(c, 0x48))
        c.end()

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()["port"]
        c = net.connect({"port": port, "host": "127.0.0.1", "typeOfService": 0x28})
        t("d client", "get right after connect()", lambda: c.getTypeOfService())
        t("d client", "set right after connect()", lambda: c.setTypeOfService(0x20))

        def on_connect():
            t("d client", "connected get", lambda: c.getTypeOfService())
            t("d client", "set 0xb8", lambda: set_get(c, 0xB8))
            t("d client", "set 0x03 (ECN bits)", lambda: set_get(c, 0x03))
            t("d client", "set 0x03 again", lambda: set_get(c, 0x03))

        c.on("connect", on_connect)
        c.resume()

        def on_close(*_):
            t("d client", "closed get", lambda: c.getTypeOfService())
            t("d client", "closed set", lambda: set_get(c, 4))
            lk = net.connect({"port": port, "host": "localhost", "family": 4})
            t("e lookup", "get right after connect()", lambda: lk.getTypeOfService())
            at_lookup = lambda *_: t("e lookup", "get at lookup", lk.getTypeOfService)  # noqa: E731
            lk.on("lookup", at_lookup)
            lk.resume()

            def done(*_):
                server.close()
                ipv6()

            lk.on("close", done)

        c.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listening)


def ipv6():
    def on_connection(x):
        t("f dual accepted", "set 0x48", lambda: set_get(x, 0x48))
        x.end()

    s6 = net.createServer(on_connection)

    def on_listening():
        port = s6.address()["port"]

        def on_connect():
            t("g ipv6 client", "get", lambda: e.getTypeOfService())
            t("g ipv6 client", "set 0x48", lambda: set_get(e, 0x48))

        e = net.connect({"port": port, "host": "::1", "typeOfService": 0x20}, on_connect)
        e.resume()

        def on_close(*_):
            m = net.connect({"port": port, "host": "127.0.0.1"})
            m.resume()

            def done(*_):
                s6.close()
                unix()

            m.on("close", done)

        e.on("close", on_close)

    s6.listen(0, "::", on_listening)


def unix():
    p = os.path.join(TMP, "tos.sock")

    def on_connection(x):
        t("h unix accepted", "get", lambda: x.getTypeOfService())
        x.end()

    u = net.createServer(on_connection)

    def on_listening():
        e = net.connect({"path": p, "typeOfService": 0x20})
        t("i unix client", "get while connecting", lambda: e.getTypeOfService())

        def on_connect():
            t("i unix client", "get", lambda: e.getTypeOfService())
            t("i unix client", "set 0x48", lambda: set_get(e, 0x48))

        e.on("connect", on_connect)
        e.resume()
        e.on("close", lambda *_: u.close())

    u.listen(p, on_listening)


net.run(main)
