"""Duplex.from(body) for each kind of body: a Duplex (itself), a Readable, a Writable, an
iterable, a string, a Promise (a Deferred: value, None, failure), an async generator function
(a transform of what is written), an async function (a consumer), a {readable, writable}
pair, and the values it refuses."""

from _parity import log
from twisted.internet import defer

import twnet as net
from twnet.stream import Duplex, PassThrough, Readable, Writable


def watch(tag, s):
    for name in ("end", "finish", "error", "close"):
        s.on(name, lambda *x, name=name: log(tag, name, *(x or [None])))


def sides(tag, d):
    log(
        tag,
        "readable",
        d.readable,
        "writable",
        d.writable,
        "objectMode",
        d.readableObjectMode,
        d.writableObjectMode,
        "hwm",
        d.readableHighWaterMark,
        d.writableHighWaterMark,
    )


def main():
    p = PassThrough()
    log("a", "a Duplex is itself", Duplex.from_(p) is p)

    r = Readable.from_(["r1", "r2"])
    from_readable = getattr(Duplex, "from")(r)
    sides("b", from_readable)
    watch("b", from_readable)
    from_readable.on("data", lambda c: log("b", "data", c))
    r.on("close", lambda: log("b", "source close"))

    def write(self, c, e, cb):
        log("c", "written", c)
        cb()

    w = Writable(write=write)
    from_writable = Duplex.from_(w)
    sides("c", from_writable)
    watch("c", from_writable)
    w.on("finish", lambda: log("c", "target finish"))
    from_writable.write("abc")
    from_writable.end("z")

    from_list = Duplex.from_(["x", "y"])
    sides("d", from_list)
    watch("d", from_list)
    from_list.on("data", lambda c: log("d", "data", c))

    from_string = Duplex.from_("hello")
    from_string.on("data", lambda c: log("e", "data", type(c).__name__.replace("str", "string"), c))
    watch("e", from_string)

    from_promise = Duplex.from_(defer.succeed("val"))
    sides("f", from_promise)
    watch("f", from_promise)
    from_promise.on("data", lambda c: log("f", "data", c))
    from_none = Duplex.from_(defer.succeed(None))
    watch("f2", from_none)
    from_none.resume()
    from_failure = Duplex.from_(defer.fail(Exception("rejected")))
    watch("f3", from_failure)

    async def upper_body(source, options):
        log("g", "signal aborted", options["signal"].aborted)
        async for chunk in source:
            yield (chunk.decode() if isinstance(chunk, bytes) else str(chunk)).upper()
        log("g", "source ended")

    upper = Duplex.from_(upper_body)
    sides("g", upper)
    watch("g", upper)
    upper.on("data", lambda c: log("g", "data", c))
    upper.write("a", None, lambda err=None: log("g", "write callback"))
    upper.write("b")
    upper.end()

    got = []

    async def consume(source, options):
        async for chunk in source:
            got.append(str(chunk))
        log("h", "consumed", ",".join(got))

    consumer = Duplex.from_(consume)
    sides("h", consumer)
    watch("h", consumer)
    consumer.write("p")
    consumer.end("q")

    pr = PassThrough()
    pw = PassThrough()
    from_pair = Duplex.from_({"readable": pr, "writable": pw})
    sides("i", from_pair)
    watch("i", from_pair)
    from_pair.on("data", lambda c: log("i", "data", c))
    pw.on("data", lambda c: log("i", "target got", c))
    from_pair.end("to w")
    pr.end("from r")

    list_pair = Duplex.from_({"readable": ["k1", "k2"]})
    sides("j", list_pair)
    list_pair.on("data", lambda c: log("j", "data", c))
    watch("j", list_pair)

    none_pair = Duplex.from_({"readable": None})
    sides("k", none_pair)

    for name, bad in [
        ("null", None),
        ("number", 5),
        ("object", {}),
        ("bad pair", {"readable": 5}),
        ("boolean", True),
    ]:
        try:
            Duplex.from_(bad)
            log("l", name, "accepted")
        except TypeError as err:
            log("l", name, "TypeError", err)
    try:
        Duplex.from_(lambda source, options: 42)
    except TypeError as err:
        log("l", "function returning 42", err.code)


net.run(main)
