"""pipeline() with function stages: a generator function as the source, async generator
functions as transforms (each gets the previous stage's chunks), a stream after them; an error
thrown in a stage destroys the streams; a stage returning no iterable throws. Each stream's
'close' is logged under its pipeline's tag, so its order against the callback is compared too."""

from _parity import log

import twnet as net
from twnet.stream import Readable, Transform, Writable, pipeline


def sink(tag, out):
    def write(self, chunk, enc, cb):
        out.append(str(chunk))
        cb()

    w = Writable(objectMode=True, write=write)
    w.on("finish", lambda: log(tag, "dst finish"))
    w.on("close", lambda: log(tag, "dst close"))
    return w


def main():
    out1 = []

    def source(options):
        log(
            "a",
            "source signal",
            type(options["signal"].aborted).__name__.replace("bool", "boolean"),
        )
        yield "x"
        yield "y"

    async def upper(chunks, options):
        async for chunk in chunks:
            yield chunk.upper()

    async def bang(chunks, options):
        async for chunk in chunks:
            yield chunk + "!"

    pipeline(
        source, upper, bang, sink("a", out1), lambda err: log("a", "callback", err, " ".join(out1))
    )

    out2 = []
    src2 = Readable.from_(["one", "two", "three"])
    src2.on("close", lambda: log("b", "src close", src2.destroyed))

    async def failing(chunks, options):
        async for chunk in chunks:
            if chunk == "two":
                raise Exception("stage failed")
            yield chunk

    pipeline(
        src2, failing, sink("b", out2), lambda err: log("b", "callback", str(err), " ".join(out2))
    )

    try:
        pipeline(Readable.from_(["z"]), lambda chunks, options: 42, sink("c", []), lambda err: None)
    except Exception as err:
        log("c", "thrown", err.code)

    # a Transform stream failing in the middle: every stream closes before the callback
    src4 = Readable.from_(["one", "two", "three"])
    src4.on("close", lambda: log("d", "src close"))

    def transform(self, chunk, enc, cb):
        if chunk == "two":
            cb(Exception("transform failed"))
        else:
            cb(None, chunk)

    mid4 = Transform(objectMode=True, transform=transform)
    mid4.on("close", lambda: log("d", "transform close"))
    pipeline(src4, mid4, sink("d", []), lambda err: log("d", "callback", str(err)))

    # the destination destroyed while a function stage reads: the source closes after the
    # callback
    src5 = Readable.from_(["one", "two", "three"])
    src5.on("close", lambda: log("e", "src close"))
    dst5 = sink("e", [])

    async def same(chunks, options):
        async for chunk in chunks:
            yield chunk

    pipeline(src5, same, dst5, lambda err: log("e", "callback", err.code))
    net.nextTick(dst5.destroy)


net.run(main)
