"""objectMode streams (counting chunks, highWaterMark 16), Readable.from over lists,
generators, async generators and strings, and duplexPair() both ways."""

import json

from _parity import log, set_timeout

import twnet as net
from twnet.stream import Readable, Transform, Writable, duplexPair


def js(value):
    return json.dumps(value, separators=(",", ":"))


def show(tag, stream):
    def on_data(chunk):
        log(tag, "data", "string" if isinstance(chunk, str) else type(chunk).__name__, chunk)

    stream.on("data", on_data)
    stream.on("end", lambda: log(tag, "end"))
    stream.on("error", lambda err: log(tag, "error", err))
    stream.on("close", lambda: log(tag, "close"))


def main():
    r = Readable(objectMode=True, read=lambda self, size: None)
    log("a", "hwm", r.readableHighWaterMark, r.readableObjectMode)
    for item in [1, "two", {"three": 3}, 0, ""]:
        log("a", "push", js(item), r.push(item), r.readableLength)
    log("a", "read", js(r.read()), r.readableLength)
    r.on("data", lambda item: log("a", "data", js(item)))
    r.on("end", lambda: log("a", "end"))
    r.push(None)
    try:
        Writable(objectMode=True, write=lambda self, c, e, cb: cb()).write(None)
    except Exception as err:
        log("a", "write null", err)

    seen = []

    def write(self, chunk, encoding, cb):
        seen.append(js(chunk) + "/" + ("none" if encoding is None else encoding))
        set_timeout(1, cb)

    w = Writable(objectMode=True, highWaterMark=2, write=write)
    log("b", "write", w.write({"a": 1}), w.writableLength, w.writableObjectMode)
    log("b", "write", w.write([2]), w.writableLength)
    w.end(7, lambda *_: log("b", "done", " ".join(seen)))

    t = Transform(
        readableObjectMode=True, transform=lambda self, c, e, cb: cb(None, {"length": len(c)})
    )
    log(
        "c",
        "modes",
        t.readableObjectMode,
        t.writableObjectMode,
        t.readableHighWaterMark,
        t.writableHighWaterMark,
    )
    t.on("data", lambda obj: log("c", "data", js(obj)))
    t.write("abc")
    t.end("de")

    show("d1", Readable.from_(["x", "y"]))
    show("d2", getattr(Readable, "from")("whole string"))

    def gen():
        yield "g1"
        yield "g2"

    show("d3", Readable.from_(gen()))

    async def agen():
        yield "a1"
        yield "a2"

    show("d4", Readable.from_(agen()))
    show("d5", Readable.from_(["n", None, "never"]))

    def failing():
        yield "f1"
        raise Exception("generator failed")

    show("d6", Readable.from_(failing()))
    log(
        "d7",
        "objectMode",
        Readable.from_([]).readableObjectMode,
        Readable.from_([], {"objectMode": False}).readableObjectMode,
    )
    try:
        Readable.from_(42)
    except Exception as err:
        log("d8", "thrown", err)

    closed = []

    def endless():
        try:
            i = 0
            while True:
                yield f"e{i}"
                i += 1
        finally:
            closed.append(True)

    e = Readable.from_(endless())

    def first(chunk):
        log("d9", "first", chunk)
        e.destroy()

    e.once("data", first)
    e.on("close", lambda: log("d9", "close, generator closed", bool(closed)))

    left, right = duplexPair()
    right.on("data", lambda chunk: log("e", "right got", chunk))

    def right_end():
        log("e", "right end")
        right.end("bye")

    right.on("end", right_end)
    left.on("data", lambda chunk: log("e", "left got", chunk))
    left.on("end", lambda: log("e", "left end"))
    left.on("close", lambda: log("e", "left close"))
    right.on("close", lambda: log("e", "right close"))
    log("e", "write", left.write("hello"))
    left.end("!")
    x, y = duplexPair({"objectMode": True})
    y.on("data", lambda obj: log("f", "y got", js(obj)))
    x.write({"k": "v"})
    x.destroy(Exception("x broke"))
    x.on("error", lambda err: log("f", "x error", str(err)))
    y.on("close", lambda: log("f", "y close", y.errored))


net.run(main)
