"""A Socket that never connects: its properties, address(), and what write(), end() and
destroy() do without a connection (where Node's 'close' has no argument, twnet's has False)."""

import json

from _parity import log

import twnet as net


def main():
    a = net.Socket()
    log("a", "address", json.dumps(a.address()))
    log(
        "a",
        "props",
        a.remoteAddress,
        a.remotePort,
        a.localPort,
        a.readyState,
        a.pending,
        a.connecting,
        a.destroyed,
        a.bytesRead,
        a.bytesWritten,
        a.bufferSize,
    )
    a.on("error", lambda err: log("a", "error", err))
    a.on("close", lambda had_error: log("a", "close", had_error))
    log("a", "write returns", a.write("x", lambda err=None: log("a", "write callback", err)))

    b = net.Socket()
    b.on("finish", lambda: log("b", "finish"))
    b.on("error", lambda err: log("b", "error", err))
    b.on("close", lambda had_error: log("b", "close", had_error))
    log("b", "end returns socket", b.end(lambda err=None: log("b", "end callback")) is b)

    c = net.Socket()
    c.on("close", lambda had_error: log("c", "close", had_error, c.destroyed))
    log("c", "destroy returns socket", c.destroy() is c, c.destroyed)


net.run(main)
