"""async for over a socket: chunks until 'end' (str after setEncoding), the socket destroyed
after the loop; break destroys it with AbortError (not with destroyOnReturn=False); an
exception in the body destroys it too; a peer's reset raises ECONNRESET; a paused socket
iterates; an ended or destroyed socket."""

from _parity import log
from twisted.internet.defer import Deferred

import twnet as net

conns = set()


def shut(server):
    server.close()
    for c in conns:
        c.destroy()
    conns.clear()


async def serve(handler):
    def on_connection(c):
        c.on("error", lambda err: None)
        conns.add(c)
        handler(c)

    return await net.createServer(on_connection).listen(0, "127.0.0.1")


async def connect(server, **options):
    sock = net.connect(port=server.address()["port"], host="127.0.0.1", **options)
    sock.close_emitted = Deferred()
    sock.on("close", lambda *_: sock.close_emitted.callback(None))
    return await sock


async def closed(sock):
    await sock.close_emitted


async def whole():
    def handler(c):
        c.write("hello ")
        c.end("world")

    server = await serve(handler)
    sock = await connect(server)
    sock.setEncoding("utf8")
    text = ""
    types = set()
    async for chunk in sock:
        text += chunk
        types.add("string" if isinstance(chunk, str) else type(chunk).__name__)
    log("a", "text", text, ",".join(types))
    log(
        "a",
        "after loop",
        sock.destroyed,
        sock.readableEnded,
        sock.listenerCount("readable"),
        sock.errored,
    )
    await closed(sock)
    shut(server)


async def breaking():
    server = await serve(lambda c: c.write("first"))
    sock = await connect(server)
    errors = []
    sock.on("error", errors.append)
    async for chunk in sock:
        log("b", "chunk", chunk, isinstance(chunk, bytes))
        break
    log("b", "after break", sock.destroyed, sock.errored)
    await closed(sock)
    log("b", "errors", len(errors), errors[0] if errors else None)

    sock2 = await connect(server)
    async for chunk in sock2.iterator(destroyOnReturn=False):
        log("c", "chunk", chunk)
        break
    log(
        "c",
        "after break",
        sock2.destroyed,
        sock2.listenerCount("readable"),
        sock2.listenerCount("error"),
    )
    sock2.end("bye")
    sock2.resume()
    await net.once(sock2, "finish")
    log("c", "still writable: finished")
    sock2.destroy()
    await closed(sock2)

    sock3 = await connect(server)
    try:
        async for chunk in sock3:
            raise Exception("body failed " + chunk.decode())
    except Exception as err:
        log("e", "caught", str(err), sock3.destroyed, sock3.errored)
    await closed(sock3)
    shut(server)


async def reset():
    def handler(c):
        c.write("x")
        c.on("data", lambda *_: c.resetAndDestroy())

    server = await serve(handler)
    sock = await connect(server)
    try:
        async for chunk in sock:
            log("d", "chunk", chunk)
            sock.write("ack")
        log("d", "never: ended")
    except Exception as err:
        log("d", "raised", err.code, err.syscall, sock.destroyed)
    await closed(sock)
    shut(server)


async def states():
    server = await serve(lambda c: c.end("data"))
    sock = await connect(server)
    sock.pause()
    text = b""
    async for chunk in sock:
        text += chunk
    log("f", "paused socket iterated", text, sock.destroyed)
    await closed(sock)

    sock2 = await connect(server, allowHalfOpen=True)
    sock2.resume()
    await net.once(sock2, "end")
    n = 0
    async for _chunk in sock2:
        n += 1
    log("g", "ended socket", n, sock2.destroyed, sock2.errored, sock2.listenerCount("readable"))
    sock2.end()
    await closed(sock2)
    log("g", "closed after end()")

    sock3 = await connect(server)
    sock3.destroy()
    try:
        async for chunk in sock3:
            log("h", "never", chunk)
        log("h", "destroyed socket: ended")
    except Exception as err:
        log("h", "destroyed socket raised", err)
    await closed(sock3)

    sock4 = await connect(server)
    sock4.destroy(Exception("gone"))
    sock4.on("error", lambda err: None)
    try:
        async for chunk in sock4:
            log("i", "never", chunk)
        log("i", "errored socket: ended")
    except Exception as err:
        log("i", "errored socket raised", err)
    await closed(sock4)
    shut(server)


async def main():
    await whole()
    await breaking()
    await reset()
    await states()


net.run(lambda: Deferred.fromCoroutine(main()))
