"""Duplex.from's unhappy paths: destroy while an async generator body waits (its signal
aborts, its finally runs), a body that raises, a consumer leaving a generator early, an
error on each side of a {readable, writable} pair, destroy of the Duplex and of each half,
back-pressure through the pair, a body that never reads what is written."""

from _parity import log

import twnet as net
from twnet.stream import Duplex, PassThrough, Writable


def watch(tag, s):
    for name in ("end", "finish", "error", "close"):
        s.on(name, lambda *x, name=name: log(tag, name, *(x or [None])))


def pair(tag, r, w):
    d = Duplex.from_({"readable": r, "writable": w})
    watch(tag, d)
    r.on("close", lambda: log(tag, "readable half close", r.errored))
    w.on("close", lambda: log(tag, "writable half close", w.errored))
    return d


def main():
    async def waiting_body(source, options):
        options["signal"].addEventListener("abort", lambda *_: log("a", "signal aborted"))
        try:
            async for chunk in source:
                yield chunk
        finally:
            log("a", "body finally")

    waiting = Duplex.from_(waiting_body)
    watch("a", waiting)
    waiting.on("data", lambda c: log("a", "data", c))
    waiting.write("1")
    net.setImmediate(waiting.destroy)

    async def raising_body(source, options):
        async for chunk in source:
            if chunk == "bad":
                raise Exception("body raised")
            yield chunk

    raising = Duplex.from_(raising_body)
    watch("b", raising)
    raising.on("data", lambda c: log("b", "data", c))
    raising.write("ok")
    raising.write("bad")
    raising.write("later", None, lambda err=None: log("b", "write callback", err))

    def steps():
        try:
            for item in ("p", "q", "r"):
                log("c", "step", item)
                yield item
        finally:
            log("c", "generator finally")

    early = Duplex.from_(steps())
    watch("c", early)

    def first(x):
        log("c", "data", x)
        early.destroy()

    early.once("data", first)

    dr = PassThrough()
    d1 = pair("d", dr, PassThrough())
    d1.on("data", lambda c: log("d", "data", c))
    dr.write(b"from r")
    net.setImmediate(lambda: dr.destroy(Exception("readable half failed")))

    def failing_write(self, c, e, cb):
        cb(Exception("writable half failed"))

    d2 = pair("e", PassThrough(), Writable(write=failing_write))
    d2.write(b"x", None, lambda err=None: log("e", "write callback", err))

    pair("f", PassThrough(), PassThrough()).destroy()

    hr = PassThrough()
    pair("g", hr, PassThrough())
    hr.destroy()

    iw = PassThrough()
    pair("h", PassThrough(), iw)
    iw.destroy()

    def slow_write(self, c, e, cb):
        log("i", "slow write", c)
        net.setImmediate(cb)

    slow = Writable(highWaterMark=2, write=slow_write)
    ir = PassThrough()
    d3 = pair("i", ir, slow)
    log(
        "i", "write returns", d3.write(b"aaaa"), d3.write(b"b"), "writableLength", d3.writableLength
    )
    d3.end()
    ir.end()
    d3.resume()

    async def deaf_body(source, options):
        yield "j1"
        yield "j2"

    deaf = Duplex.from_(deaf_body)
    watch("j", deaf)
    deaf.on("data", lambda c: log("j", "data", c))
    deaf.write("ignored", None, lambda err=None: log("j", "write callback", err))


net.run(main)
