"""pipeline() with function stages: a generator function as the source, async generator
functions as transforms (each gets the previous stage's chunks), a stream after them; an error
thrown in a stage destroys the streams; a stage returning no iterable throws."""

from _parity import log

import twnet as net
from twnet.stream import Readable, Writable, pipeline


def sink(tag, out):
    def write(self, chunk, enc, cb):
        out.append(str(chunk))
        cb()

    w = Writable(objectMode=True, write=write)
    w.on("finish", lambda: log(tag, "dst finish"))
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
    src2.on(
        "close", lambda: log("b2", "src close", src2.destroyed)
    )  # order vs callback: not compared

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


net.run(main)
