"""One coroutine, run in each coroutine world: ``python both_worlds.py WORLD``.

WORLD is ``asyncio`` (Twisted on the asyncio reactor, the coroutine an asyncio Task),
``react`` (``task.react``), ``ensure`` (``defer.ensureDeferred``) or ``from`` (
``Deferred.fromCoroutine``). Prints one line per step; tests/test_aio_worlds.py compares them.
"""

from __future__ import annotations

import sys
from typing import Any

WORLD = sys.argv[1]
if WORLD == "asyncio":
    from twisted.internet import asyncioreactor

    asyncioreactor.install()

import asyncio  # noqa: E402

from twisted.internet import defer, reactor, task  # noqa: E402

import twnet as net  # noqa: E402
from twnet._awaitable import AwaitableDeferred  # noqa: E402

lines: list[str] = []


def log(*parts: object) -> None:
    lines.append(" ".join(str(p) for p in parts))


def on_connection(c: Any) -> None:
    c.on("error", lambda err: None)  # a client may reset it
    c.end("hello")


async def scenario() -> None:
    server = await net.createServer(on_connection).listen(0, "127.0.0.1")
    log("listening", server.listening)
    port = server.address()["port"]
    sock = await net.connect(port, "127.0.0.1")
    log("connected", sock.remotePort == port, sock.listenerCount("connect"))
    data = b""
    async for chunk in sock:
        data += chunk
    log("iterated", data.decode(), sock.destroyed)
    await net.once(sock, "close")
    log("once close")

    try:
        await net.connect(1, "127.0.0.1")
    except Exception as err:
        log("refused", getattr(err, "code", None))

    emitter = net.EventEmitter()
    net.nextTick(lambda: [emitter.emit("x", n) for n in (1, 2)])
    async for (n,) in net.on(emitter, "x"):
        log("on", n)
        if n == 2:
            break

    s2 = net.connect(port, "127.0.0.1")
    s2_closed: AwaitableDeferred[None] = AwaitableDeferred()  # may come before the exit resumes
    s2.on("close", lambda *_: s2_closed.callback(None))
    async with await s2:
        s2.on("error", lambda err: None)
    log("async with socket", s2.destroyed, type(s2.errored).__name__)
    await s2_closed

    if WORLD == "asyncio":
        # cancelled by asyncio: the await's listeners go away
        s3 = net.connect(port, "127.0.0.1")
        before = s3.listenerCount("connect")
        try:
            await asyncio.wait_for(_await(s3), 0)
        except TimeoutError:
            log("wait_for timed out", s3.listenerCount("connect") == before)
        await s3
        s3.destroy()
        await net.once(s3, "close")
        got = await asyncio.gather(_await(net.connect(port, "127.0.0.1")), _await(server))
        log("gather", got[1] is server)
        got[0].destroy()
        await net.once(got[0], "close")
    else:
        s3 = net.connect(port, "127.0.0.1")
        before = s3.listenerCount("connect")
        waiting = defer.ensureDeferred(_await(s3))
        waiting.cancel()
        try:
            await waiting
        except defer.CancelledError:
            log("cancelled", s3.listenerCount("connect") == before)
        await s3
        s3.destroy()
        await net.once(s3, "close")
        log("gather", True)

    async with server:
        pass
    log("server closed", server.listening)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def finish(_: object) -> None:
    print("\n".join(lines))


if WORLD == "asyncio":

    async def main() -> None:
        try:
            await scenario()
        finally:
            reactor.stop()

    reactor.callWhenRunning(lambda: asyncio.ensure_future(main()))
    reactor.run()
    print(f"loop is asyncio's: {type(reactor).__name__}")
    finish(None)
elif WORLD == "react":

    def run(_reactor: Any) -> defer.Deferred[None]:
        return defer.ensureDeferred(scenario()).addCallback(finish)

    task.react(run)
else:
    make = defer.ensureDeferred if WORLD == "ensure" else defer.Deferred.fromCoroutine
    d = make(scenario())
    d.addCallback(finish)
    d.addErrback(lambda f: print(f.getTraceback()))
    d.addBoth(lambda _: reactor.stop())
    reactor.run()
