"""The stream module's small functions: addAbortSignal (an abort destroys the stream with an
AbortError whose cause is the reason; an aborted signal at once; bad arguments), isErrored /
isReadable through a stream's life, get/setDefaultHighWaterMark (new streams and sockets take
the new default; bad values)."""

from _parity import log

import twnet as net
from twnet import stream


def main():
    r = stream.Readable(read=lambda self, size: None)
    r.on("error", lambda err: log("a", "error", err.name, err, "cause", err.cause))
    r.on("close", lambda: log("a", "close", r.destroyed))
    ac = net.AbortController()
    log("a", "returns the stream", stream.addAbortSignal(ac.signal, r) is r)
    ac.abort("reason text")

    w = stream.Writable(write=lambda self, c, e, cb: cb())
    w.on("error", lambda err: log("b", "error", err.name))
    stream.add_abort_signal(net.AbortSignal.abort(), w)
    log("b", "destroyed at once", w.destroyed)

    for name, args in [
        ("signal", [5, stream.PassThrough()]),
        ("stream", [net.AbortController().signal, {}]),
    ]:
        try:
            stream.addAbortSignal(*args)
        except TypeError as err:
            log("c", name, err)

    p = stream.PassThrough()
    log("d", "fresh", stream.isErrored(p), stream.isReadable(p))
    p.end(b"x")
    p.resume()
    p.on("end", lambda: log("d", "ended", stream.isErrored(p), stream.isReadable(p)))
    failing = stream.PassThrough()
    failing.on(
        "error",
        lambda err: log("d", "errored", stream.isErrored(failing), stream.isReadable(failing)),
    )
    failing.destroy(Exception("boom"))
    log("d", "not streams", stream.isErrored(5), stream.isReadable({}), stream.is_errored(None))

    log(
        "e", "defaults", stream.getDefaultHighWaterMark(False), stream.getDefaultHighWaterMark(True)
    )
    stream.setDefaultHighWaterMark(False, 1000)
    stream.set_default_high_water_mark(True, 3)
    log(
        "e",
        "new streams",
        stream.Readable().readableHighWaterMark,
        stream.Writable(objectMode=True).writableHighWaterMark,
        stream.Duplex(readableObjectMode=True).readableHighWaterMark,
        net.Socket().writableHighWaterMark,
    )
    for bad in [-1, 1.5, float("nan"), "5"]:
        try:
            stream.setDefaultHighWaterMark(False, bad)
        except (TypeError, ValueError) as err:
            log("e", "refused", err)
    log(
        "e",
        "unchanged",
        stream.getDefaultHighWaterMark(False),
        stream.getDefaultHighWaterMark("truthy"),
    )


net.run(main)
