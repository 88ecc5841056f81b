"""Symbol.asyncDispose (`async with`): a socket not ended is destroyed with AbortError, one
whose readable side ended is destroyed without error (a half-open one then fails with
ERR_STREAM_PREMATURE_CLOSE), one destroyed with an error fails with it; a server closes and
the exit waits for its close callback (so for its connections); a server not listening exits
at once; a Writable and a Readable of twnet.stream."""

from _parity import log, set_timeout
from twisted.internet.defer import Deferred

import twnet as net
from twnet.stream import Readable, Writable


def immediate():
    d = Deferred()
    net.setImmediate(d.callback, None)
    return d


async def serve(handler):
    return await net.createServer(handler).listen(0, "127.0.0.1")


async def connect(server, **options):
    sock = net.connect(port=server.address()["port"], host="127.0.0.1", **options)
    sock.close_emitted = Deferred()
    sock.on("close", lambda *_: sock.close_emitted.callback(None))
    return await sock


async def sockets():
    accepted = []

    def handler(c):
        accepted.append(c)
        c.on("error", lambda err: None)
        if len(accepted) >= 2:
            c.end("bye")

    server = await serve(handler)
    sock = await connect(server)
    errors = []
    sock.on("error", errors.append)
    async with sock as s:
        log("a", "in block", s.destroyed)
    log("a", "after block", sock.destroyed, sock.errored, len(errors))
    await sock.close_emitted
    log("a", "errors after close", len(errors), errors[0])

    sock2 = await connect(server)
    await net.once(sock2.resume(), "end")
    await immediate()  # the socket's reaction to 'end' first
    try:
        async with sock2:
            pass
        log("b", "ended socket disposed", sock2.destroyed, sock2.errored)
    except Exception as err:
        log("b", "ended socket dispose failed", err)
    await sock2.close_emitted

    sock3 = await connect(server, allowHalfOpen=True)
    await net.once(sock3.resume(), "end")
    await immediate()
    try:
        async with sock3:
            pass
        log("c", "half-open socket disposed", sock3.destroyed)
    except Exception as err:
        log("c", "half-open socket dispose failed", err, sock3.destroyed)
    await sock3.close_emitted

    sock4 = await connect(server)
    sock4.on("error", lambda err: None)
    sock4.destroy(Exception("earlier"))
    try:
        async with sock4:
            pass
        log("d", "destroyed socket disposed")
    except Exception as err:
        log("d", "destroyed socket dispose failed", err)
    await sock4.close_emitted
    for c in accepted:
        c.destroy()
    server.close()


async def servers():
    order = []
    server = await serve(lambda c: None)
    server.on("close", lambda *_: order.append("close event"))
    async with server as s:
        order.append("in block " + str(s.listening).lower())
    order.append("after block " + str(server.listening).lower())
    log("e", ", ".join(order))

    idle = net.createServer()
    async with idle:
        pass
    log("f", "never listened: disposed", idle.listening, idle.listenerCount("close"))
    closed = await serve(lambda c: None)
    closed.close()
    async with closed:
        pass
    log("f", "closed: disposed")

    accepted = []
    busy = await serve(accepted.append)
    sock = await connect(busy)
    steps = []

    def destroy():
        steps.append("connection destroyed")
        sock.destroy()

    set_timeout(20, destroy)
    async with busy:
        pass
    steps.append("disposed")
    log("g", ", ".join(steps), accepted[0].destroyed)


async def streams():
    w = Writable(write=lambda stream, chunk, enc, cb: cb())
    w.on("error", lambda e: log("h", "writable error event", e.name))
    w.write("x")
    async with w:
        pass
    log("h", "writable disposed", w.destroyed, w.errored)

    done = Writable(write=lambda stream, chunk, enc, cb: cb())
    done.end("x")
    await net.once(done, "finish")
    async with done:
        pass
    log("h", "finished writable disposed", done.destroyed, done.errored)

    r = Readable(read=lambda stream, size: None)
    r.on("error", lambda e: log("i", "readable error event", e.name))
    async with r:
        pass
    log("i", "readable disposed", r.destroyed, r.errored)

    failing = Writable(
        write=lambda stream, chunk, enc, cb: cb(),
        destroy=lambda stream, err, cb: cb(Exception("destroy failed")),
    )
    failing.on("error", lambda err: None)
    try:
        async with failing:
            pass
        log("j", "never")
    except Exception as err:
        log("j", "dispose failed", err)


async def main():
    await sockets()
    await servers()
    await streams()


net.run(lambda: Deferred.fromCoroutine(main()))
