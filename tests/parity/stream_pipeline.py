"""pipeline(): success through a Transform, an error in the middle destroying every stream
(with the first error), a destination closing early, and finished() on each outcome."""

from _parity import log, set_timeout

import twnet as net
from twnet.stream import PassThrough, Readable, Transform, Writable, finished, pipeline


def source(tag, items):
    def read(self, size):
        self.push(items.pop(0) if items else None)

    def destroy(self, err, cb):
        log(tag, "src _destroy", err)
        cb(err)

    r = Readable(read=read, destroy=destroy)
    for ev in ["end", "close"]:
        r.on(ev, lambda ev=ev: log(tag, "src", ev))
    return r


def sink(tag, out):
    def write(self, chunk, enc, cb):
        out.append(chunk.decode())
        cb()

    def destroy(self, err, cb):
        log(tag, "dst _destroy", err)
        cb(err)

    w = Writable(write=write, destroy=destroy)
    for ev in ["finish", "close"]:
        w.on(ev, lambda ev=ev: log(tag, "dst", ev))
    return w


def main():
    # success
    out1 = []
    up = Transform(transform=lambda self, c, e, cb: cb(None, c.decode().upper()))
    up.on("close", lambda: log("a", "mid close"))
    ret = pipeline(
        source("a", ["x", "y", "z"]),
        up,
        sink("a", out1),
        lambda err: log("a", "callback", err, "".join(out1)),
    )
    log("a", "returns destination", type(ret).__name__)

    # an error in the middle: every stream destroyed, the first error reported
    out2 = []

    def transform(self, c, e, cb):
        if c == b"two":
            cb(Exception("bad chunk"))
        else:
            cb(None, c)

    def destroy_mid(self, err, cb):
        log("b", "mid _destroy", err and str(err))
        cb(err)

    failing = Transform(transform=transform, destroy=destroy_mid)
    src2 = source("b", ["one", "two", "three"])
    dst2 = sink("b", out2)
    pipeline(
        src2,
        failing,
        dst2,
        lambda err: log(
            "b",
            "callback",
            str(err),
            src2.destroyed,
            failing.destroyed,
            dst2.destroyed,
            ",".join(out2),
        ),
    )

    # the destination destroyed early: premature close
    src3 = Readable(read=lambda self, size: None)
    src3.push("data")
    dst3 = PassThrough()
    pipeline(src3, dst3, lambda err: log("c", "callback", err, src3.destroyed))
    dst3.on("close", lambda: log("c", "dst close"))
    set_timeout(5, dst3.destroy)

    # a source error
    src4 = Readable(read=lambda self, size: None)
    dst4 = PassThrough()
    pipeline(src4, dst4, lambda err: log("d", "callback", str(err), dst4.destroyed))
    set_timeout(5, src4.destroy, Exception("source broke"))

    # an iterable as the source; a list of streams
    out5 = []
    pipeline([["p", "q"], sink("e", out5)], lambda err: log("e", "callback", err, "".join(out5)))

    # bad arguments
    for args in [
        [],
        [PassThrough()],
        [PassThrough(), lambda: None],
        [PassThrough(), PassThrough()],
    ]:
        try:
            pipeline(*args)
            log("f", "no throw")
        except Exception as err:
            log("f", "thrown", err)

    # finished()
    g1 = PassThrough()
    finished(g1, lambda err: log("g", "finished ended", err))
    g1.end("x")
    g1.resume()
    g2 = PassThrough()
    finished(g2, lambda err: log("g", "finished destroyed", err))
    g2.destroy()
    g3 = PassThrough()
    finished(g3, lambda err: log("g", "finished error", str(err)))
    g3.destroy(Exception("g3 failed"))
    g4 = Writable(write=lambda self, c, e, cb: cb())
    finished(g4, {"readable": False}, lambda err: log("g", "finished writable", err))
    g4.end("w")
    g5 = PassThrough()
    g5.end()
    g5.resume()
    g5.on("close", lambda: finished(g5, lambda err: log("g", "finished after close", err)))
    g6 = PassThrough()
    cleanup = finished(g6, lambda err: log("g", "never"))
    cleanup()
    g6.destroy()
    try:
        finished(g6)
    except Exception as err:
        log("g", "thrown", err)


net.run(main)
