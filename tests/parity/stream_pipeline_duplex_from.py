"""pipeline() stages that Node makes with Duplex.from: a {readable} pair as the source, a
{readable, writable} pair as the source (its readable side is pumped on), a Duplex.from
function in the middle, a {writable} pair as the last stage (it replaces the stream before it:
nothing is piped), a Writable source into a list; the signal option aborting a Duplex.from
body; a last function stage that is an async function (its value goes to the callback and to
the promise)."""

from _parity import log

import twnet as net
from twnet.stream import Duplex, PassThrough, Readable, Writable, pipeline, promises


def sink(tag):
    got = []

    def write(self, c, e, cb):
        got.append(str(c))
        cb()

    w = Writable(objectMode=True, write=write)
    w.on("finish", lambda: log(tag, "sink finish", ",".join(got)))
    return w


def main():
    pipeline(
        {"readable": Readable.from_(["p1", "p2"])},
        sink("a"),
        lambda err=None: log("a", "callback", err),
    )

    pair_writable = PassThrough(objectMode=True)
    pair_writable.on("data", lambda c: log("b", "pair writable got", c))
    pipeline(
        {"readable": Readable.from_(["t1", "t2"]), "writable": pair_writable},
        sink("b"),
        lambda err=None: log("b", "callback", err),
    )

    async def bang(source, options):
        async for c in source:
            yield c + "!"

    pipeline(
        Readable.from_(["c1", "c2"]),
        Duplex.from_(bang),
        sink("c"),
        lambda err=None: log("c", "callback", err),
    )

    got = []

    def keep(self, c, e, cb):
        got.append(c)
        cb()

    target = Writable(objectMode=True, write=keep)
    target.on("finish", lambda: log("d", "target finish", ",".join(got)))
    last = pipeline(
        Readable.from_(["d1"]), {"writable": target}, lambda err=None: log("d", "callback", err)
    )
    log("d", "returned", isinstance(last, Duplex), last.writable, last.readable)
    net.setImmediate(lambda: log("d", "nothing piped", len(got), target.writableFinished))

    lone = Writable(write=lambda self, c, e, cb: cb())
    ret = pipeline(lone, [], lambda err=None: log("e", "callback", err))
    log("e", "returned", isinstance(ret, Duplex), ret.readable, ret.writable)
    net.setImmediate(lambda: log("e", "destroyed", lone.destroyed, ret.destroyed))

    controller = net.AbortController()
    body_signal = []

    async def body(source, options):
        body_signal.append(options["signal"])
        async for c in source:
            yield c

    def abort_on_first(self, c, e, cb):
        log("f", "write", c)
        if c == "f1":
            controller.abort()
        cb()

    promises.pipeline(
        Readable.from_(["f1", "f2", "f3"]),
        Duplex.from_(body),
        Writable(objectMode=True, write=abort_on_first),
        {"signal": controller.signal},
    ).addCallbacks(
        lambda _: log("f", "resolved"),
        lambda failure: log(
            "f", "rejected", failure.value, "body signal aborted", body_signal[0].aborted
        ),
    )

    async def total(source, options):
        count = 0
        async for n in source:
            count += n
        return count

    pipeline(
        Readable.from_([1, 2, 3]),
        total,
        lambda err=None, value=None: log("g", "callback", err, value),
    )
    promises.pipeline(Readable.from_([4, 5]), total).addCallback(
        lambda value: log("g2", "resolved", value)
    )
    try:
        pipeline(Readable.from_([1]), lambda source, options: 42, lambda err=None: None)
    except TypeError as err:
        log("h", "thrown", err.code)


net.run(main)
