"""The signal option of net.connect: aborting while connecting or once connected destroys the
socket with an AbortError whose cause is the reason; an already aborted signal destroys it in
the constructor, and connect() then starts over (as on any destroyed socket); a signal that is
not an AbortSignal is refused; the listen signal closes the server."""

from _parity import log

import twnet as net


def watch(tag, sock, close_arg=True):
    for name in ("connect", "ready", "end"):
        sock.on(name, (lambda n: lambda *_: log(tag, n))(name))

    def on_error(e):
        cause = e.cause.name if isinstance(e.cause, BaseException) else e.cause
        log(tag, "error", e.name, e, "cause:", cause)

    sock.on("error", on_error)
    # Node passes nothing to a never-connected socket's 'close'; twnet passes False.
    sock.on(
        "close", lambda had_error: log(tag, "close", had_error) if close_arg else log(tag, "close")
    )


def main():
    server = net.createServer(lambda c: c.on("error", lambda e: None))

    def on_listening():
        port = server.address().port
        open_ = 3

        def done(*_):
            nonlocal open_
            open_ -= 1
            if open_ == 0:
                server.close(lambda *_: log("s", "server closed"))

        pre = net.connect({"port": port, "host": "127.0.0.1", "signal": net.AbortSignal.abort()})
        log("a", "destroyed", pre.destroyed, "connecting", pre.connecting)
        watch("a", pre, False)
        pre.on("connect", lambda: pre.destroy())
        pre.once("ready", done)

        ac = net.AbortController()
        connecting = net.connect({"port": port, "host": "127.0.0.1", "signal": ac.signal})
        watch("b", connecting)
        ac.abort("why")
        log("b", "destroyed at once", connecting.destroyed)
        connecting.on("close", done)

        ac2 = net.AbortController()

        def on_connect():
            log("c", "connect callback: abort")
            ac2.abort()
            log("c", "destroyed", connected.destroyed)

        connected = net.createConnection(
            {"port": port, "host": "127.0.0.1", "signal": ac2.signal}, on_connect
        )
        watch("c", connected)
        connected.on("close", done)

        for bad in (5, {}, "x"):
            try:
                net.connect({"port": port, "signal": bad})
            except TypeError as e:
                log("d", "TypeError", e)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)
